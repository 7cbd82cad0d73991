using Purchases.Infrastructure.Reconcile;
using FastEndpoints;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.RetryWorkflow;

public sealed class RetryWorkflowSummary : Summary<RetryWorkflowEndpoint>
{
    public RetryWorkflowSummary()
    {
        Summary = "Retry a failed purchase's workflow";
        Description = "A failed purchase goes back to pending with the retry counted (`retry_count`, `last_retried_at`, " +
                      "`last_retried_by`). While its workflow exists in Argo it is retried in place (Argo's retry: same " +
                      "name, its failed steps run again); when Argo never accepted it or it was deleted, it is created " +
                      "again through the outbox. `dry_run=true` only says which would happen.";
        Params["purchase_id"] = "The purchase id (a UUID).";
        Params["dry_run"] = "Optional: true only reports what a retry would do.";
        var id = Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f");
        Response(200, "Retried.", "application/json", RetryWorkflowEndpoint.ResponseFor(id,
            new RetryWorkflowResult.Done(RetryAction.RetriedInPlace, 1)));
        this.AccessErrors();
        this.Error(400, "A query value is not valid.", "Query parameter \"dry_run\" must be true or false.");
        this.Error(404, "No such purchase.", ApiErrors.PurchaseNotFound);
        this.Error(409, "The purchase is not failed, or Argo refused the retry.", WorkflowRetry.NotFailedMessage);
        this.Error(502, "Argo did not answer.", WorkflowRetry.ArgoUnavailableMessage("connection failed"));
        this.Unavailable();
    }
}
