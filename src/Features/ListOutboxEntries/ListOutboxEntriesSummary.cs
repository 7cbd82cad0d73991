using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesSummary : Summary<ListOutboxEntriesEndpoint>
{
    public ListOutboxEntriesSummary()
    {
        Summary = "List outbox entries";
        Description = "Newest first, filtered, in pages: pass the answer's `next_cursor` as `cursor` for the next page " +
                      "(entries added meanwhile do not shift the pages). `created_from`/`created_to` bound `[from, to)`.";
        var at = NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0);
        this.OutboxFilterParams();
        Params["limit"] = "Page size, 1 to 1000 (default 100).";
        Params["cursor"] = "The next_cursor of the previous page.";
        Response(200, "A page of entries.", "application/json", new ListOutboxEntriesResponse(
            [new OutboxEntryItem(Guid.Parse("01935e3a-7b2d-7000-8000-000000000001"), "argo.workflow.create", Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f"),
                "trebolenergia", "123", "failed", 10, "HTTP 404: workflowtemplates.argoproj.io \"purchase-strategy\" not found",
                at, at + NodaTime.Duration.FromMinutes(27), "purchase-01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f", null, 404, null, 0, null, null)],
            "MTczMTIyOTIwMDAwMDAwMDA6MDE5MzVlM2E3YjJkNzAwMDgwMDAwMDAwMDAwMDAwMDE"));
        this.Error(400, "A query value is not valid.", "Query parameter \"state\" must be one of: pending, submitted, failed.");
        this.AccessErrors();
        this.Unavailable();
    }
}
