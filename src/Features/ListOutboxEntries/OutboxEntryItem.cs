using NodaTime;

namespace Purchases.Features.ListOutboxEntries;

/// <summary>
/// An outbox entry as operators see it (API and CLI alike): an Argo create (<see cref="WorkflowName"/>) or a webhook
/// delivery (<see cref="WebhookEndpointId"/>; its id is the delivery's <c>webhook-id</c>).
/// </summary>
public sealed record OutboxEntryItem(
    Guid Id,
    string Kind,
    Guid PurchaseId,
    string User,
    string RetailerId,
    string State,
    int Attempts,
    string? LastError,
    Instant CreatedAt,
    Instant NextAttemptAt,
    string? WorkflowName,
    Guid? WebhookEndpointId,
    int? LastStatus,
    Instant? SubmittedAt,
    int ReplayCount,
    Instant? LastReplayedAt,
    string? LastReplayedBy);
