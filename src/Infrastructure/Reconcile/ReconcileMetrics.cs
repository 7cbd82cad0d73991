using System.Diagnostics.Metrics;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Infrastructure.Reconcile;

/// <summary>The reconciler's instruments, in the <c>Purchases.Outbox</c> meter beside the drain's.</summary>
public sealed class ReconcileMetrics
{
    readonly Counter<long> _reads;
    readonly Counter<long> _transitions;
    readonly Counter<long> _watched;
    WorkflowStatisticsSnapshot _last = WorkflowStatisticsSnapshot.Empty;
    volatile int _watching = -1; // 1 streaming, 0 down, -1 before the watch's first attempt (or with it off)

    public ReconcileMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(OutboxMetrics.MeterName);
        _reads = meter.CreateCounter<long>("purchases.reconcile.reads", description: "Workflow reads from Argo by result");
        _transitions = meter.CreateCounter<long>("purchases.reconcile.transitions",
            description: "Purchases failed by the reconciler, by reason (failed, error, deleted, no_report)");
        _watched = meter.CreateCounter<long>("purchases.reconcile.watch.changes",
            description: "Workflow changes from Argo's watch, by result (due: a purchase read now; known: nothing new)");
        meter.CreateObservableGauge("purchases.reconcile.watch.connected",
            () => _watching is var state and >= 0 ? [new Measurement<int>(state)] : Array.Empty<Measurement<int>>(),
            description: "1 while Argo streams the watch of our workflows, 0 while it is down (absent with Reconcile:Watch off)");
        meter.CreateObservableGauge("purchases.workflows", () => _last.ByPhase.Select(p =>
                new Measurement<long>(p.Value, new KeyValuePair<string, object?>("phase", p.Key))),
            description: "Workflows of purchases that are not final, by the phase last read, as of the readiness probe's last count");
        meter.CreateObservableGauge("purchases.workflows.stuck", () => _last.Stuck,
            description: "Purchases that are not final and showed no progress for Reconcile:StuckAfter");
        meter.CreateObservableGauge("purchases.reconcile.lag", () => _last.LagSeconds, "s",
            "How long the most overdue read of a workflow of a purchase that is not final has been due");
    }

    public void Read(int found, int notFound, int failed)
    {
        if (found > 0) _reads.Add(found, new KeyValuePair<string, object?>("result", "found"));
        if (notFound > 0) _reads.Add(notFound, new KeyValuePair<string, object?>("result", "not_found"));
        if (failed > 0) _reads.Add(failed, new KeyValuePair<string, object?>("result", "failed"));
    }

    public void Watched(int due, int known)
    {
        if (due > 0) _watched.Add(due, new KeyValuePair<string, object?>("result", "due"));
        if (known > 0) _watched.Add(known, new KeyValuePair<string, object?>("result", "known"));
    }

    public void Watching(bool connected) => _watching = connected ? 1 : 0;

    public void Transitioned(string reason) => _transitions.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Observe(WorkflowStatisticsSnapshot snapshot) => _last = snapshot;
}
