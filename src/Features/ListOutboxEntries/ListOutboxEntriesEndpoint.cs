using FastEndpoints;
using Npgsql;
using Purchases.Infrastructure.Auth;

namespace Purchases.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesEndpoint(NpgsqlDataSource dataSource)
    : Endpoint<ListOutboxEntriesRequest, ListOutboxEntriesResponse>
{
    public override void Configure()
    {
        Get("admin/outbox");
        Policies(AccessPolicies.Operator);
    }

    public override async Task HandleAsync(ListOutboxEntriesRequest req, CancellationToken ct) =>
        await Send.OkAsync(await ListOutboxEntriesQuery.RunAsync(dataSource, req, ct), ct);
}
