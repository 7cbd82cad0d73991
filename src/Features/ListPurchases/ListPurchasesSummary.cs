using FastEndpoints;
using NodaTime;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ListPurchases;

public sealed class ListPurchasesSummary : Summary<ListPurchasesEndpoint>
{
    public ListPurchasesSummary()
    {
        Summary = "List a user's purchases";
        Description = "Newest first, in pages: pass the answer's `next_cursor` as `cursor` for the next page (purchases " +
                      "added meanwhile are newer, so they never shift the pages). Each item is the purchase as get-purchase " +
                      "shows it without `strategy_output`, with `delivery_from` and `delivery_to`: the first and last local " +
                      "date (market time) its schedule covers. `created_from`/`created_to` bound `[from, to)`; " +
                      "`delivery_from`/`delivery_to` keep the purchases whose schedule covers any day from one to the other, both included.";
        Params["user"] = "The user whose purchases to list.";
        Params["status"] = "Only purchases with this status: failed, pending, in_progress or completed.";
        Params["retailer_id"] = "Only purchases for this retailer.";
        Params["created_from"] = "Created at or after this instant (RFC 3339 UTC).";
        Params["created_to"] = "Created before this instant (RFC 3339 UTC).";
        Params["delivery_from"] = "Schedule covers this local date (YYYY-MM-DD) or a later one.";
        Params["delivery_to"] = "Schedule covers this local date (YYYY-MM-DD) or an earlier one.";
        Params["limit"] = "Page size, 1 to 1000 (default 100).";
        Params["cursor"] = "The next_cursor of the previous page.";
        var at = Instant.FromUtc(2025, 11, 10, 9, 0);
        var id = Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f");
        Response(200, "A page of purchases.", "application/json", new ListPurchasesResponse(
            [new PurchaseItem(id, "completed", "", at, at + Duration.FromMinutes(30), 96, "123", new LocalDate(2025, 11, 11),
                new LocalDate(2025, 11, 11), new WorkflowView($"purchase-{id}", "submitted", 0, at + Duration.FromSeconds(1), null,
                    "Succeeded", null, at + Duration.FromSeconds(2), at + Duration.FromMinutes(29)))],
            "MTczMTIyOTIwMDAwMDAwMDA6MDE5MzVlM2E3YjJjN2Q0ZTlmMTAyYTNiNGM1ZDZlN2Y"));
        this.Error(400, "A query value is not valid.", "Query parameter \"status\" must be one of: failed, pending, in_progress, completed.");
        this.AccessErrors();
        this.Unavailable();
    }
}
