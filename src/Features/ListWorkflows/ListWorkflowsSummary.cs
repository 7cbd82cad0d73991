using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsSummary : Summary<ListWorkflowsEndpoint>
{
    public ListWorkflowsSummary()
    {
        Summary = "List failed or stuck workflows";
        Description = "Purchases whose workflow failed (`condition=failed`: the purchase is failed) or is stuck " +
                      "(`condition=stuck`: not final, its workflow accepted by Argo, no progress for Reconcile:StuckAfter); " +
                      "both when `condition` is omitted. Newest purchase first, in pages: pass `next_cursor` as `cursor`.";
        var at = NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0);
        this.WorkflowFilterParams();
        Params["limit"] = "Page size, 1 to 1000 (default 100).";
        Params["cursor"] = "The next_cursor of the previous page.";
        var id = Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f");
        Response(200, "A page of purchases.", "application/json", new ListWorkflowsResponse(
            [new WorkflowItem(id, "trebolenergia", "123", "failed", "failed", "Argo workflow Failed: Error (exit code 1)",
                $"purchase-{id}", "submitted", "Failed", "Error (exit code 1)", at + NodaTime.Duration.FromSeconds(2),
                at + NodaTime.Duration.FromMinutes(4), at + NodaTime.Duration.FromMinutes(5), null, 0, null, null, at,
                at + NodaTime.Duration.FromMinutes(5))],
            null));
        this.Error(400, "A query value is not valid.", "Query parameter \"condition\" must be one of: failed, stuck.");
        this.AccessErrors();
        this.Unavailable();
    }
}
