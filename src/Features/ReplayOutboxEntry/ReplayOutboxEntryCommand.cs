using NodaTime;
using Npgsql;

namespace Purchases.Features.ReplayOutboxEntry;

public enum ReplayResult { Replayed, NotFound, AlreadySubmitted }

/// <summary>
/// design/outbox.md §6.5: a failed or pending entry goes back to pending, attempts 0, due now, its lease dropped,
/// and the replay is counted with who did it. A submitted entry is refused: it has its workflow already.
/// </summary>
public static class ReplayOutboxEntryCommand
{
    public const string NotFoundMessage = "Outbox entry not found.";
    public const string AlreadySubmittedMessage = "Outbox entry is already submitted.";

    public static string ReplayedMessage(Guid id) => $"Outbox entry {id} queued for replay.";

    public static async Task<ReplayResult> RunAsync(NpgsqlDataSource dataSource, string id, string replayedBy, Instant now,
        CancellationToken ct)
    {
        if (!Guid.TryParseExact(id, "D", out var entryId)) return ReplayResult.NotFound;
        await using var command = dataSource.CreateCommand("""
            WITH target AS (SELECT id, state FROM outbox_entries WHERE id = $1 FOR UPDATE),
            replayed AS (
                UPDATE outbox_entries e
                SET state = 'pending', attempts = 0, next_attempt_at = $2, locked_until = NULL, locked_by = NULL,
                    failed_at = NULL, replay_count = replay_count + 1, last_replayed_at = $2, last_replayed_by = $3,
                    updated_at = $2
                FROM target WHERE e.id = target.id AND target.state IN ('pending', 'failed')
                RETURNING e.id)
            SELECT target.state, EXISTS (SELECT 1 FROM replayed) FROM target
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = entryId });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = replayedBy });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return ReplayResult.NotFound;
        return reader.GetBoolean(1) ? ReplayResult.Replayed : ReplayResult.AlreadySubmitted;
    }
}
