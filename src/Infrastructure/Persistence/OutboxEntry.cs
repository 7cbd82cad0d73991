using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>One message to Argo, written in the purchase's transaction (design/outbox.md §6.1).</summary>
public sealed class OutboxEntry
{
    public Guid Id { get; set; }
    public Guid PurchaseId { get; set; }
    public string Kind { get; set; } = OutboxKind.ArgoWorkflowCreate;
    public short PayloadVersion { get; set; } = 1;
    public required string Payload { get; set; }
    public required string WorkflowName { get; set; }
    public string State { get; set; } = OutboxState.Pending;
    public int Attempts { get; set; }
    public Instant NextAttemptAt { get; set; }
    public Instant? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public string? LastError { get; set; }
    public int? LastStatus { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
    public Instant? SubmittedAt { get; set; }
    public Instant? FailedAt { get; set; }
    public string? ArgoUid { get; set; }
    public int ReplayCount { get; set; }
    public Instant? LastReplayedAt { get; set; }
    public string? LastReplayedBy { get; set; }
    public string? TraceParent { get; set; }
}

public static class OutboxState
{
    public const string Pending = "pending";
    public const string Submitted = "submitted";
    public const string Failed = "failed";
}

public static class OutboxKind
{
    public const string ArgoWorkflowCreate = "argo.workflow.create";
}
