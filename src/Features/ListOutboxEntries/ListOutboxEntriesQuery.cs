using Purchases.Infrastructure.Api;
using System.Text;
using NodaTime;
using Npgsql;

namespace Purchases.Features.ListOutboxEntries;

/// <summary>Newest first, keyset-paginated; the admin API and the CLI both run this.</summary>
public static class ListOutboxEntriesQuery
{
    public static async Task<ListOutboxEntriesResponse> RunAsync(NpgsqlDataSource dataSource, ListOutboxEntriesRequest request,
        CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("WHERE true");
        request.ToFilter().AppendTo(where, command);
        var limit = request.AppendPage(where, command, "e");
        command.CommandText = $"""
            SELECT e.id, e.purchase_id, p."user", p.retailer_id, e.state, e.attempts, e.last_error, e.created_at,
                   e.next_attempt_at, e.workflow_name, e.last_status, e.submitted_at, e.replay_count,
                   e.last_replayed_at, e.last_replayed_by, e.kind, e.webhook_endpoint_id
            FROM outbox_entries e JOIN purchases p ON p.id = e.purchase_id
            {where}
            ORDER BY e.created_at DESC, e.id DESC
            LIMIT {limit}
            """;

        var items = new List<OutboxEntryItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new OutboxEntryItem(
                reader.GetGuid(0), reader.GetString(15), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<Instant>(7),
                reader.GetFieldValue<Instant>(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(16) ? null : reader.GetGuid(16), reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<Instant>(11), reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<Instant>(13), reader.IsDBNull(14) ? null : reader.GetString(14)));

        var (page, next) = request.Cut(items, i => new KeysetCursor(i.CreatedAt, i.Id));
        return new ListOutboxEntriesResponse(page, next);
    }
}
