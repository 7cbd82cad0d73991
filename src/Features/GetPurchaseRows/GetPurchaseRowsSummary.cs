using FastEndpoints;
using NodaTime;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetPurchaseRows;

public sealed class GetPurchaseRowsSummary : Summary<GetPurchaseRowsEndpoint>
{
    public GetPurchaseRowsSummary()
    {
        Summary = "Read back a purchase's stored schedule";
        Description = "Every row as stored, in submitted order: `position` (the item's index in the submitted list), " +
                      "`datetime` (the local market time as sent), `utc` (the instant it was mapped to: the autumn " +
                      "hour's two occurrences map to two instants) and `purchase` (MW, the decimal as stored, never a " +
                      "float). JSON by default; `Accept: text/csv` gives the same rows as RFC 4180 CSV with a header line " +
                      "(`position,datetime,utc,purchase`). Streamed: a year of 35,040 rows starts arriving at once.";
        Params["user"] = "The user the purchase belongs to.";
        Params["purchase_id"] = "The purchase id (a UUID).";
        var id = Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f");
        Response(200, "The rows (JSON; text/csv when asked for).", RowsFormats.Json, new GetPurchaseRowsResponse(id, 2,
            [new StoredRow(0, "2025-11-11 00:00", Instant.FromUtc(2025, 11, 10, 23, 0), 12.0m),
             new StoredRow(1, "2025-11-11 00:15", Instant.FromUtc(2025, 11, 10, 23, 15), 12.50m)]));
        this.AccessErrors();
        this.Error(404, "No such purchase under this user (or the id is not a UUID).", ApiErrors.PurchaseNotFound);
        this.Error(406, "The Accept header allows neither application/json nor text/csv.", GetPurchaseRowsEndpoint.NotAcceptable);
        this.Error(500, "An unexpected fault.", "Internal server error while retrieving purchase rows.");
        this.Unavailable();
    }
}
