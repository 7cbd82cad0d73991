using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Reconcile;

public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>False: this instance runs no reconciliation (another does, or a test drives it).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How often the job runs, and the least a purchase waits between two reads of its workflow.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// The most a workflow that shows no progress waits between two reads: the wait is a tenth of how long it has
    /// shown none, between <see cref="Interval"/> and this.
    /// </summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// Also follow Argo's watch of our workflows, so that a change is read within seconds instead of at the next
    /// read (<see cref="WorkflowWatch"/>). Needs the <c>watch</c> verb on workflows; without it, reads go on as before.
    /// </summary>
    public bool Watch { get; set; } = true;
    /// <summary>Purchases claimed (and workflows read) at once.</summary>
    [Range(1, 1_000)] public int BatchSize { get; set; } = 50;
    /// <summary>Concurrent Argo reads per instance.</summary>
    [Range(1, 64)] public int Parallelism { get; set; } = 8;
    /// <summary>A purchase that is not final and shows no progress this long is stuck (operators list it).</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long a Succeeded workflow may take to report back before its purchase is failed.</summary>
    public TimeSpan ReportGrace { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>One run stops claiming after this long, so Quartz can schedule the next.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(20);
}
