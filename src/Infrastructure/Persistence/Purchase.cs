using NodaTime;

namespace Purchases.Infrastructure.Persistence;

public sealed class Purchase
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string RetailerId { get; set; }
    public required string Status { get; set; }
    public string? Error { get; set; }
    public string? StrategyOutput { get; set; }
    public int RowsUploaded { get; set; }
    /// <summary>The first and last local date of the schedule (market time), for the list's delivery filters.</summary>
    public LocalDate DeliveryFrom { get; set; }
    public LocalDate DeliveryTo { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }

    /// <summary>Argo's <c>status.phase</c> as the reconciler last read it, or <see cref="WorkflowPhase.Deleted"/>; null before the first read.</summary>
    public string? WorkflowPhase { get; set; }
    public string? WorkflowMessage { get; set; }
    public Instant? WorkflowStartedAt { get; set; }
    public Instant? WorkflowFinishedAt { get; set; }
    /// <summary>When the reconciler last read (or claimed, to read) the workflow.</summary>
    public Instant? WorkflowCheckedAt { get; set; }
    /// <summary>When the reconciler reads the workflow next (due once Argo accepted it); null until then.</summary>
    public Instant? WorkflowNextCheckAt { get; set; }
    /// <summary>When the phase last changed: with <see cref="UpdatedAt"/>, the progress a stuck purchase lacks.</summary>
    public Instant? WorkflowChangedAt { get; set; }
    public int RetryCount { get; set; }
    public Instant? LastRetriedAt { get; set; }
    public string? LastRetriedBy { get; set; }
}

/// <summary>Argo's phases (pkg/apis/workflow/v1alpha1/workflow_phase.go), and ours for a workflow that is gone.</summary>
public static class WorkflowPhase
{
    public const string Unknown = "";
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Error = "Error";
    /// <summary>Not Argo's: Argo answered 404 for the workflow.</summary>
    public const string Deleted = "Deleted";
}

public static class PurchaseStatus
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static readonly string[] NotFinal = [Pending, InProgress];

    /// <summary>In the order the contract lists them in its message.</summary>
    public static readonly string[] All = [Failed, Pending, InProgress, Completed];
}
