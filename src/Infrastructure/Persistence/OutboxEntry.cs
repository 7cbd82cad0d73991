using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// One message, written in the transaction of what caused it (design/outbox.md §6.1): a workflow to create in Argo
/// (one per purchase, named by <see cref="WorkflowName"/>), or a webhook delivery (one per status change and subscribed
/// endpoint, <see cref="WebhookEndpointId"/>; its id is the <c>webhook-id</c>).
/// </summary>
public sealed class OutboxEntry
{
    public Guid Id { get; set; }
    public Guid PurchaseId { get; set; }
    public string Kind { get; set; } = OutboxKind.ArgoWorkflowCreate;
    public short PayloadVersion { get; set; } = 1;
    public required string Payload { get; set; }
    public string? WorkflowName { get; set; }
    public Guid? WebhookEndpointId { get; set; }
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
    public const string WebhookDelivery = "webhook.delivery";

    public static readonly string[] All = [ArgoWorkflowCreate, WebhookDelivery];
}
