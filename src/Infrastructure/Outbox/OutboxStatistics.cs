using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.Outbox;

public sealed record OutboxStatisticsSnapshot(long Pending, long Submitted, long Failed, double OldestPendingAgeSeconds,
    Instant? LastSubmittedAt)
{
    public static readonly OutboxStatisticsSnapshot Empty = new(0, 0, 0, 0, null);
}

/// <summary>Counts per state and the backlog's age in one query (readiness, metrics, operators).</summary>
public sealed class OutboxStatistics(NpgsqlDataSource dataSource, IClock clock, OutboxMetrics metrics)
{
    public async Task<OutboxStatisticsSnapshot> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'submitted'),
                   count(*) FILTER (WHERE state = 'failed'), min(created_at) FILTER (WHERE state = 'pending'),
                   max(submitted_at)
            FROM outbox_entries
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var oldest = reader.IsDBNull(3) ? (Instant?)null : reader.GetFieldValue<Instant>(3);
        var snapshot = new OutboxStatisticsSnapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2),
            oldest is { } o ? Math.Max(0, Math.Round((clock.GetCurrentInstant() - o).TotalSeconds, 3)) : 0,
            reader.IsDBNull(4) ? null : reader.GetFieldValue<Instant>(4));
        metrics.Observe(snapshot);
        return snapshot;
    }
}
