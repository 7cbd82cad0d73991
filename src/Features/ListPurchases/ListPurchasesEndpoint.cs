using FastEndpoints;
using Npgsql;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;

namespace Purchases.Features.ListPurchases;

public sealed class ListPurchasesEndpoint(NpgsqlDataSource dataSource) : Endpoint<ListPurchasesRequest, ListPurchasesResponse>
{
    public override void Configure()
    {
        Get("user/{user}/purchases");
        Policies(AccessPolicies.ReadOrReportForUser);
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(ListPurchasesRequest req, CancellationToken ct) =>
        await Send.OkAsync(await ListPurchasesQuery.RunAsync(dataSource, req, ct), ct);
}
