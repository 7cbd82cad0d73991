using FastEndpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RotateWebhookSecret;

public sealed class RotateWebhookSecretEndpoint(NpgsqlDataSource dataSource, WebhookSecrets secrets,
    IOptions<WebhookOptions> options, IClock clock) : Endpoint<RotateWebhookSecretRequest, RotateWebhookSecretResponse>
{
    public override void Configure()
    {
        Post("user/{user}/webhooks/{webhook_id}/rotate-secret");
        Policies(AccessPolicies.SubmitForUser);
        Description(b => b.WithTags(ApiDocs.WebhooksTag));
    }

    public override async Task HandleAsync(RotateWebhookSecretRequest req, CancellationToken ct)
    {
        if (await RotateWebhookSecretCommand.RunAsync(dataSource, secrets, options.Value, req.User, req.WebhookId,
                clock.GetCurrentInstant(), ct) is not { } rotated)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.WebhookNotFound);
            return;
        }
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(rotated, ct);
    }
}
