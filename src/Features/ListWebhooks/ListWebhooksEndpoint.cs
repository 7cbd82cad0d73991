using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;

namespace Purchases.Features.ListWebhooks;

public sealed class ListWebhooksEndpoint(NpgsqlDataSource dataSource, IClock clock) : Endpoint<ListWebhooksRequest, ListWebhooksResponse>
{
    public override void Configure()
    {
        Get("user/{user}/webhooks");
        Policies(AccessPolicies.SubmitForUser);
        Description(b => b.WithTags(ApiDocs.WebhooksTag));
    }

    public override async Task HandleAsync(ListWebhooksRequest req, CancellationToken ct) =>
        await Send.OkAsync(await ListWebhooksQuery.RunAsync(dataSource, req.User, clock.GetCurrentInstant(), ct), ct);
}
