using NodaTime;

namespace Purchases.Features.ListWorkflows;

public sealed record ListWorkflowsResponse(IReadOnlyList<WorkflowItem> Items, string? NextCursor);

/// <param name="Condition"><c>failed</c> or <c>stuck</c>.</param>
/// <param name="Phase">Argo's phase as last read (or <c>Deleted</c>); null before the first read.</param>
/// <param name="NextCheckAt">When the reconciler reads the workflow next; null when the purchase is final (not read
/// again) or as soon as it can.</param>
public sealed record WorkflowItem(
    Guid PurchaseId, string User, string RetailerId, string Status, string Condition, string? Error, string WorkflowName,
    string EntryState, string? Phase, string? Message, Instant? StartedAt, Instant? FinishedAt, Instant? CheckedAt,
    Instant? NextCheckAt, int RetryCount, Instant? LastRetriedAt, string? LastRetriedBy, Instant CreatedAt, Instant UpdatedAt);
