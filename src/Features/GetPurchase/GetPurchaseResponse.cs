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

/// <summary>Where the purchase's Argo workflow stands, from its outbox entry.</summary>
public sealed record WorkflowView(string Name, string State, int Attempts, Instant? SubmittedAt, string? LastError);
