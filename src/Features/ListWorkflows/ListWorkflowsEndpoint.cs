using FastEndpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsEndpoint(NpgsqlDataSource dataSource, IClock clock, IOptions<ReconcileOptions> options)
    : Endpoint<ListWorkflowsRequest, ListWorkflowsResponse>
{
    public override void Configure()
    {
        Get("admin/workflows");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(ListWorkflowsRequest req, CancellationToken ct) =>
        await Send.OkAsync(await ListWorkflowsQuery.RunAsync(dataSource, clock, options, req, ct), ct);
}
