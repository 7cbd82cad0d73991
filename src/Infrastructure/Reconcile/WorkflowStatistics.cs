using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.Reconcile;

public sealed record WorkflowStatisticsSnapshot(IReadOnlyDictionary<string, long> ByPhase, long Stuck, double LagSeconds)
{
    public static readonly WorkflowStatisticsSnapshot Empty = new(new Dictionary<string, long>(), 0, 0);
}

/// <summary>
/// Workflows of the purchases that are not final: by phase, how many are stuck, and the reconciler's lag (how long
/// the most overdue read has been due; a workflow never read is due from when Argo accepted it).
/// </summary>
public sealed class WorkflowStatistics(NpgsqlDataSource dataSource, IClock clock, IOptions<ReconcileOptions> options,
    ReconcileMetrics metrics)
{
    /// <summary>A purchase's last progress: its last phase change or update (its creation before either).</summary>
    public const string LastProgress = "greatest(p.updated_at, coalesce(p.workflow_changed_at, p.created_at))";

    /// <summary>
    /// Not final, no progress (phase change or update) since the parameter <c>$<paramref name="cutoff"/></c>, and its
    /// workflow accepted by Argo (asked last: most workflows in flight made progress lately, and PostgreSQL evaluates
    /// an aggregate's <c>FILTER</c> in the order written).
    /// </summary>
    public static string StuckCondition(int cutoff) => $"""
        (p.status IN ('pending', 'in_progress') AND {LastProgress} < ${cutoff}
         AND EXISTS (SELECT 1 FROM outbox_entries o WHERE o.purchase_id = p.id AND o.kind = 'argo.workflow.create' AND o.state = 'submitted'))
        """;

    public async Task<WorkflowStatisticsSnapshot> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await using var command = dataSource.CreateCommand($"""
            SELECT coalesce(p.workflow_phase, 'unread') AS phase, count(*),
                   count(*) FILTER (WHERE {StuckCondition(1)}),
                   min(p.workflow_next_check_at)
            FROM purchases p
            WHERE p.status IN ('pending', 'in_progress')
            GROUP BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now - Duration.FromTimeSpan(options.Value.StuckAfter) });
        var byPhase = new Dictionary<string, long>();
        long stuck = 0;
        Instant? oldest = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            byPhase[reader.GetString(0) is { Length: > 0 } phase ? phase : "Unknown"] = reader.GetInt64(1);
            stuck += reader.GetInt64(2);
            if (!reader.IsDBNull(3) && (oldest is null || reader.GetFieldValue<Instant>(3) < oldest))
                oldest = reader.GetFieldValue<Instant>(3);
        }
        var snapshot = new WorkflowStatisticsSnapshot(byPhase, stuck,
            oldest is { } o ? Math.Max(0, Math.Round((now - o).TotalSeconds, 3)) : 0);
        metrics.Observe(snapshot);
        return snapshot;
    }
}
