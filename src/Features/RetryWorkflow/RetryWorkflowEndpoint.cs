using Purchases.Infrastructure.Reconcile;
using System.Security.Claims;
using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Auth;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RetryWorkflow;

public sealed class RetryWorkflowEndpoint(NpgsqlDataSource dataSource, IArgoWorkflows argo, OutboxSignal outbox, IClock clock,
    IOptions<WebhookOptions> webhooks)
    : Endpoint<RetryWorkflowRequest, RetryWorkflowResponse>
{
    public override void Configure()
    {
        Post("admin/workflows/{purchase_id}/retry");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(RetryWorkflowRequest req, CancellationToken ct)
    {
        var result = await WorkflowRetry.RunAsync(dataSource, argo, webhooks.Value, req.PurchaseId, User.FindFirstValue(ClaimTypes.Name)!,
            clock.GetCurrentInstant(), req.IsDryRun, ct);
        switch (result)
        {
            case RetryWorkflowResult.NotFound:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
                break;
            case RetryWorkflowResult.NotFailed:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status409Conflict, WorkflowRetry.NotFailedMessage);
                break;
            case RetryWorkflowResult.Refused refused:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status409Conflict, WorkflowRetry.RefusedMessage(refused.Message));
                break;
            case RetryWorkflowResult.ArgoUnavailable down:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status502BadGateway, WorkflowRetry.ArgoUnavailableMessage(down.Error));
                break;
            default:
                if (result is RetryWorkflowResult.Done) outbox.Nudge(); // a re-created entry, the status change's deliveries
                await Send.OkAsync(ResponseFor(Guid.Parse(req.PurchaseId), result), ct);
                break;
        }
    }

    public static RetryWorkflowResponse ResponseFor(Guid id, RetryWorkflowResult result)
    {
        var (action, count, dryRun) = result switch
        {
            RetryWorkflowResult.Done done => (done.Action, done.RetryCount, false),
            RetryWorkflowResult.WouldDo would => (would.Action, 0, true),
            _ => throw new ArgumentOutOfRangeException(nameof(result)),
        };
        var name = $"purchase-{id}";
        return new RetryWorkflowResponse(id, dryRun ? "failed" : "pending",
            action == RetryAction.RetriedInPlace ? "retried_in_place" : "recreated", count, dryRun,
            dryRun ? $"Dry run: workflow {name} would be {(action == RetryAction.RetriedInPlace ? "retried in place" : "created again")}."
                : WorkflowRetry.RetriedMessage(name, action));
    }
}
