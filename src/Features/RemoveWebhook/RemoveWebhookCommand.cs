using NodaTime;
using Npgsql;

namespace Purchases.Features.RemoveWebhook;

/// <summary>
/// Removes an endpoint: nothing more is sent to it (deliveries still pending fail as "removed"), its secrets are
/// erased, and its row stays so that operators still see where past deliveries went.
/// </summary>
public static class RemoveWebhookCommand
{
    /// <summary>False when the customer has no such live endpoint.</summary>
    public static async Task<bool> RunAsync(NpgsqlDataSource dataSource, string user, string webhookId, Instant now,
        CancellationToken ct)
    {
        if (!Guid.TryParseExact(webhookId, "D", out var id)) return false;
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_endpoints SET deleted_at = $3, updated_at = $3, protected_secret = NULL,
                   protected_previous_secret = NULL, previous_secret_expires_at = NULL
            WHERE id = $1 AND "user" = $2 AND deleted_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
