using System.Diagnostics;
using Npgsql;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Infrastructure.Health;

/// <param name="CountedAt">When the backlog was counted (a <see cref="Stopwatch"/> timestamp).</param>
public sealed record ReadinessSnapshot(OutboxBacklog Outbox, WorkflowStatisticsSnapshot Workflows, long CountedAt)
{
    /// <summary>
    /// As the last figures, the oldest pending entry counted older by the time since: it is, if still waiting (as
    /// behind an outage, when the figures are slow to count and its age is what an operator watches).
    /// </summary>
    public ReadinessSnapshot Aged() => Outbox.Pending == 0 ? this : this with
    {
        Outbox = Outbox with
        {
            OldestPendingAgeSeconds = Math.Round(Outbox.OldestPendingAgeSeconds + Stopwatch.GetElapsedTime(CountedAt).TotalSeconds, 3),
        },
    };
}

/// <summary>
/// The readiness probe's figures (the outbox's backlog, the workflows in flight), counted at most once at a time
/// and waited for at most <see cref="Budget"/>. Counting costs what waits and what is in flight: 1 ms on a quiet
/// day, seconds behind a long Argo outage (bench/FINDINGS.md). A probe must still answer then, or every instance
/// leaves its Service exactly when it should keep taking purchases; so a slow count goes on in the background, the
/// probe answers with the last figures and a ping proves the database answers. A count within the budget is done
/// again by the next probe; after a slower one that took t, the next starts no sooner than <see cref="Spacing"/>·t
/// later, so that the probes' share of the database stays under a tenth.
/// </summary>
public sealed class ReadinessFigures(OutboxStatistics outbox, WorkflowStatistics workflows, NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);
    const int Spacing = 10;

    readonly Lock _lock = new();
    Task<ReadinessSnapshot>? _counting;
    ReadinessSnapshot? _last;
    long _nextCountAt; // Stopwatch timestamp

    /// <summary>Fresh figures when they take less than the budget, else the last ones (the database pinged).</summary>
    public async Task<ReadinessSnapshot> ReadAsync(CancellationToken ct)
    {
        Task<ReadinessSnapshot>? counting = null;
        ReadinessSnapshot? last;
        lock (_lock)
        {
            if (_counting is not { IsCompleted: false } && Stopwatch.GetTimestamp() >= _nextCountAt)
            {
                _ = _counting?.Exception; // a failed count nobody waited for to the end: observed, and counted again
                _counting = CountAsync();
                counting = _counting;
            }
            else if (_counting is { IsCompleted: false })
                counting = _counting;
            last = _last;
        }

        if (counting is not null && (last is null || await Task.WhenAny(counting, Task.Delay(Budget, ct)) == counting))
            return await counting.WaitAsync(ct);

        await PingAsync(ct);
        return last!.Aged();
    }

    async Task<ReadinessSnapshot> CountAsync()
    {
        var started = Stopwatch.GetTimestamp();
        // Not the probe's token: a probe that stops waiting leaves the count to finish for the next one.
        var backlog = await outbox.ReadBacklogAsync(CancellationToken.None);
        var backlogAt = Stopwatch.GetTimestamp();
        var snapshot = new ReadinessSnapshot(backlog, await workflows.ReadAsync(CancellationToken.None), backlogAt);
        lock (_lock)
        {
            _last = snapshot;
            var took = Stopwatch.GetTimestamp() - started;
            _nextCountAt = took < Budget.TotalSeconds * Stopwatch.Frequency ? 0 : Stopwatch.GetTimestamp() + Spacing * took;
        }
        return snapshot;
    }

    async Task PingAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(ct);
    }
}
