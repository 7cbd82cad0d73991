using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Outbox;

public sealed record OutboxStatisticsSnapshot(long Pending, long Submitted, long Failed, double OldestPendingAgeSeconds,
    Instant? LastSubmittedAt, IReadOnlyDictionary<string, OutboxKindCounts> ByKind)
{
    public static readonly OutboxStatisticsSnapshot Empty = new(0, 0, 0, 0, null, Zeros());

    internal static Dictionary<string, OutboxKindCounts> Zeros() =>
        OutboxKind.All.ToDictionary(k => k, _ => new OutboxKindCounts(0, 0, 0));
}

/// <param name="Submitted">For a webhook delivery: delivered.</param>
public sealed record OutboxKindCounts(long Pending, long Submitted, long Failed);

/// <summary>Counts per kind and state and the backlog's age in one query (readiness, metrics, operators).</summary>
public sealed class OutboxStatistics(NpgsqlDataSource dataSource, IClock clock, OutboxMetrics metrics)
{
    public async Task<OutboxStatisticsSnapshot> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT kind, count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'submitted'),
                   count(*) FILTER (WHERE state = 'failed'), min(created_at) FILTER (WHERE state = 'pending'),
                   max(submitted_at)
            FROM outbox_entries GROUP BY kind
            """);
        var byKind = OutboxStatisticsSnapshot.Zeros();
        Instant? oldest = null, last = null;
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                byKind[reader.GetString(0)] = new OutboxKindCounts(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                if (!reader.IsDBNull(4) && (oldest is null || reader.GetFieldValue<Instant>(4) < oldest)) oldest = reader.GetFieldValue<Instant>(4);
                if (!reader.IsDBNull(5) && (last is null || reader.GetFieldValue<Instant>(5) > last)) last = reader.GetFieldValue<Instant>(5);
            }
        var snapshot = new OutboxStatisticsSnapshot(byKind.Values.Sum(k => k.Pending), byKind.Values.Sum(k => k.Submitted),
            byKind.Values.Sum(k => k.Failed),
            oldest is { } o ? Math.Max(0, Math.Round((clock.GetCurrentInstant() - o).TotalSeconds, 3)) : 0, last, byKind);
        metrics.Observe(snapshot);
        return snapshot;
    }
}
