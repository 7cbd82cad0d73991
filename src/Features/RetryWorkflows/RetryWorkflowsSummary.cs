using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.RetryWorkflows;

public sealed class RetryWorkflowsSummary : Summary<RetryWorkflowsEndpoint>
{
    public RetryWorkflowsSummary()
    {
        Summary = "Retry many failed workflows";
        Description = "Every failed purchase matching the filters (newest first, at most `limit`) is retried as one " +
                      "retry would be: in place while its workflow exists, created again otherwise. Those Argo refuses " +
                      "or does not answer stay failed and are listed in `refused`. `dry_run=true` only counts.";
        this.WorkflowFilterParams();
        Params["condition"] = "failed, or omitted (stuck workflows cannot be retried).";
        Params["dry_run"] = "Optional: true only counts.";
        Params["limit"] = "At most this many purchases, 1 to 1000 (default 1000).";
        Response(200, "Retried.", "application/json", new RetryWorkflowsResponse(3, 2, 1, false,
            [new RetryRefusal(Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f"),
                "Argo refused the retry: To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector")]));
        this.Error(400, "A query value is not valid.", "Stuck workflows cannot be retried: only failed purchases' workflows can.");
        this.AccessErrors();
        this.Unavailable();
    }
}
