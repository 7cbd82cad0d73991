using FastEndpoints;
using Npgsql;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesEndpoint(NpgsqlDataSource dataSource)
    : Endpoint<ListOutboxEntriesRequest, ListOutboxEntriesResponse>
{
    public override void Configure()
    {
        Get("admin/outbox");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(ListOutboxEntriesRequest req, CancellationToken ct) =>
        await Send.OkAsync(await ListOutboxEntriesQuery.RunAsync(dataSource, req, ct), ct);
}
