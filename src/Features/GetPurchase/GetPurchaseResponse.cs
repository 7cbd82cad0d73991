using System.Text.Json;
using NJsonSchema.Annotations;
using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.GetPurchase;

public sealed record GetPurchaseResponse(
    Guid Id,
    string Status,
    string? Error,
    Instant CreatedAt,
    [property: JsonSchemaType(typeof(JsonElement))] StoredJson? StrategyOutput,
    Instant UpdatedAt,
    int RowsUploaded,
    string RetailerId,
    WorkflowView? Workflow);
