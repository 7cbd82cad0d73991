using System.Security.Claims;
using FastEndpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Reconcile;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RetryWorkflows;

public sealed class RetryWorkflowsEndpoint(NpgsqlDataSource dataSource, IArgoWorkflows argo, OutboxSignal outbox, IClock clock,
    IOptions<ReconcileOptions> options, IOptions<WebhookOptions> webhooks) : Endpoint<RetryWorkflowsRequest, RetryWorkflowsResponse>
{
    public override void Configure()
    {
        Post("admin/workflows/retry");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(RetryWorkflowsRequest req, CancellationToken ct)
    {
        var result = await RetryWorkflowsCommand.RunAsync(dataSource, argo, clock, options, webhooks.Value, req, User.FindFirstValue(ClaimTypes.Name)!, ct);
        if (result.Retried > 0) outbox.Nudge(); // re-created entries, and the status changes' webhook deliveries
        await Send.OkAsync(result, ct);
    }
}
