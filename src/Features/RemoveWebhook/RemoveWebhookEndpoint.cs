using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;

namespace Purchases.Features.RemoveWebhook;

public sealed class RemoveWebhookEndpoint(NpgsqlDataSource dataSource, IClock clock) : Endpoint<RemoveWebhookRequest>
{
    public override void Configure()
    {
        Delete("user/{user}/webhooks/{webhook_id}");
        Policies(AccessPolicies.SubmitForUser);
        Description(b => b.WithTags(ApiDocs.WebhooksTag));
    }

    public override async Task HandleAsync(RemoveWebhookRequest req, CancellationToken ct)
    {
        if (await RemoveWebhookCommand.RunAsync(dataSource, req.User, req.WebhookId, clock.GetCurrentInstant(), ct))
            await Send.NoContentAsync(ct);
        else
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.WebhookNotFound);
    }
}
