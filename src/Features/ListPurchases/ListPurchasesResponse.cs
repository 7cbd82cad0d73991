using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.ListPurchases;

public sealed record ListPurchasesResponse(IReadOnlyList<PurchaseItem> Items, string? NextCursor);

/// <summary>
/// A purchase as get-purchase shows it, without <c>strategy_output</c>, and with the local dates its schedule covers.
/// </summary>
public sealed record PurchaseItem(
    Guid Id, string Status, string? Error, Instant CreatedAt, Instant UpdatedAt, int RowsUploaded, string RetailerId,
    LocalDate DeliveryFrom, LocalDate DeliveryTo, WorkflowView? Workflow);

