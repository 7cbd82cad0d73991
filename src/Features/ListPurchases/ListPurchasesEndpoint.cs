using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.ListPurchases;

public sealed class ListPurchasesEndpoint(ReadReplica reads) : Endpoint<ListPurchasesRequest, ListPurchasesResponse>
{
    public override void Configure()
    {
        Get("user/{user}/purchases");
        Policies(AccessPolicies.ReadOrReportForUser);
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(ListPurchasesRequest req, CancellationToken ct) =>
        await Send.OkAsync(await reads.ReadAsync((req, ct), static (d, s) => ListPurchasesQuery.RunAsync(d, s.req, s.ct)), ct);
}
