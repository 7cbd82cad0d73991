using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RotateWebhookSecret;

/// <summary>
/// A new secret; the one it replaces keeps signing for <c>Webhooks:RotationGrace</c>, so a receiver can switch
/// without missing an event. A second rotation within the grace drops the oldest.
/// </summary>
public static class RotateWebhookSecretCommand
{
    public static string RotatedMessage(Instant until) =>
        $"Secret rotated. Keep the new one now: it is not shown again. The previous one also signs until {until}.";

    public static async Task<RotateWebhookSecretResponse?> RunAsync(NpgsqlDataSource dataSource, WebhookSecrets secrets,
        WebhookOptions options, string user, string webhookId, Instant now, CancellationToken ct)
    {
        if (!Guid.TryParseExact(webhookId, "D", out var id)) return null;
        var secret = WebhookSecrets.NewSecret();
        var until = now + Duration.FromTimeSpan(options.RotationGrace);
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_endpoints SET protected_previous_secret = protected_secret, protected_secret = $3,
                   previous_secret_expires_at = $4, updated_at = $5
            WHERE id = $1 AND "user" = $2 AND deleted_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = secrets.Protect(secret) });
        command.Parameters.Add(new NpgsqlParameter { Value = until });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteNonQueryAsync(ct) == 1
            ? new RotateWebhookSecretResponse(id, secret, until, RotatedMessage(until))
            : null;
    }
}
