using System.Text.Json;
using NodaTime;

namespace Purchases.Features.GetPurchase;

public sealed record GetPurchaseResponse(
    Guid Id,
    string Status,
    string? Error,
    Instant CreatedAt,
    JsonElement? StrategyOutput,
    Instant UpdatedAt,
    int RowsUploaded,
    string RetailerId,
    WorkflowView? Workflow);

/// <summary>
/// Where the purchase's Argo workflow stands: its outbox entry (state, attempts, submitted_at, last_error) and, once
/// the reconciler has read it, Argo's phase, message and times.
/// </summary>
public sealed record WorkflowView(string Name, string State, int Attempts, Instant? SubmittedAt, string? LastError,
    string? Phase, string? Message, Instant? StartedAt, Instant? FinishedAt);
