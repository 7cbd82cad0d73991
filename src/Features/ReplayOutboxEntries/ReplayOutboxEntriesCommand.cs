using System.Text;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.ReplayOutboxEntries;

/// <summary>
/// Every matching entry back to pending in ONE statement: a drainer sees each row before or after, never half reset,
/// and a second call finds nothing left to replay.
/// </summary>
public static class ReplayOutboxEntriesCommand
{
    public static async Task<ReplayOutboxEntriesResponse> RunAsync(NpgsqlDataSource dataSource,
        ReplayOutboxEntriesRequest request, string replayedBy, Instant now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("WHERE p.id = e.purchase_id");
        (request.ToFilter() with { State = request.State ?? OutboxState.Failed }).AppendTo(where, command);
        if (request.IsDryRun)
        {
            command.CommandText = $"SELECT count(*) FROM outbox_entries e, purchases p {where}";
            return new ReplayOutboxEntriesResponse(0, (long)(await command.ExecuteScalarAsync(ct))!);
        }

        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = replayedBy });
        var (at, by) = (command.Parameters.Count - 1, command.Parameters.Count);
        command.CommandText = $"""
            UPDATE outbox_entries e
            SET state = 'pending', attempts = 0, next_attempt_at = ${at}, locked_until = NULL, locked_by = NULL,
                failed_at = NULL, replay_count = e.replay_count + 1, last_replayed_at = ${at}, last_replayed_by = ${by},
                updated_at = ${at}
            FROM purchases p {where}
            """;
        return new ReplayOutboxEntriesResponse(await command.ExecuteNonQueryAsync(ct));
    }
}
