using NodaTime;
using Npgsql;

namespace Purchases.Features.ListWebhooks;

/// <summary>A customer's live endpoints, oldest first; the API and the CLI both run this.</summary>
public static class ListWebhooksQuery
{
    public static async Task<ListWebhooksResponse> RunAsync(NpgsqlDataSource dataSource, string user, Instant now,
        CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, url, events, created_at, updated_at,
                   CASE WHEN previous_secret_expires_at > $2 THEN previous_secret_expires_at END
            FROM webhook_endpoints WHERE "user" = $1 AND deleted_at IS NULL
            ORDER BY created_at, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        var items = new List<WebhookItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new WebhookItem(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                reader.GetFieldValue<Instant>(3), reader.GetFieldValue<Instant>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<Instant>(5)));
        return new ListWebhooksResponse(items);
    }
}
