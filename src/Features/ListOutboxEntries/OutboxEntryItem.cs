using NodaTime;

namespace Purchases.Features.ListOutboxEntries;

/// <summary>An outbox entry as operators see it (API and CLI alike).</summary>
public sealed record OutboxEntryItem(
    Guid Id,
    Guid PurchaseId,
    string User,
    string RetailerId,
    string State,
    int Attempts,
    string? LastError,
    Instant CreatedAt,
    Instant NextAttemptAt,
    string WorkflowName,
    int? LastStatus,
    Instant? SubmittedAt,
    int ReplayCount,
    Instant? LastReplayedAt,
    string? LastReplayedBy);
