using FastEndpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RegisterWebhook;

public sealed class RegisterWebhookEndpoint(NpgsqlDataSource dataSource, WebhookSecrets secrets,
    IOptions<WebhookOptions> options, IClock clock) : Endpoint<RegisterWebhookRequest, RegisterWebhookResponse>
{
    public override void Configure()
    {
        Post("user/{user}/webhooks");
        Policies(AccessPolicies.SubmitForUser);
        Options(b => b.WithMetadata(new JsonRequestBody(typeof(RegisterWebhookBody), RegisterWebhookBody.Example)));
        Description(b => b.WithTags(ApiDocs.WebhooksTag));
    }

    public override async Task HandleAsync(RegisterWebhookRequest req, CancellationToken ct)
    {
        switch (await RegisterWebhookCommand.RunAsync(dataSource, secrets, options.Value, req.User, req.Url, req.Events!,
                    clock.GetCurrentInstant(), ct))
        {
            case RegisterWebhookCommand.Result.Registered(var response):
                HttpContext.Response.Headers.CacheControl = "no-store";
                await Send.ResponseAsync(response, StatusCodes.Status201Created, ct);
                break;
            case RegisterWebhookCommand.Result.Refused(var message):
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status400BadRequest, message);
                break;
            case RegisterWebhookCommand.Result.UnknownCustomer:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, RegisterWebhookCommand.UnknownCustomerMessage);
                break;
            case RegisterWebhookCommand.Result.LimitReached(var message):
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status409Conflict, message);
                break;
        }
    }
}
