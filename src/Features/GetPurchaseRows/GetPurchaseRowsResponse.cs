using NodaTime;

namespace Purchases.Features.GetPurchaseRows;

/// <summary>The shape of the JSON answer (it is written row by row, see <see cref="RowsJsonWriter"/>), for the OpenAPI document.</summary>
public sealed record GetPurchaseRowsResponse(Guid PurchaseId, int RowsUploaded, IReadOnlyList<StoredRow> Rows);

/// <param name="Position">The item's index in the submitted list.</param>
/// <param name="Datetime">The local market time as sent (<c>YYYY-MM-DD HH:MM</c>).</param>
/// <param name="Utc">The instant it was mapped to.</param>
/// <param name="Purchase">MW, exactly as stored (a decimal: the digits sent, trailing zeros included).</param>
public sealed record StoredRow(int Position, string Datetime, Instant Utc, decimal Purchase);
