using FastEndpoints;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.RegisterWebhook;

public sealed class RegisterWebhookSummary : Summary<RegisterWebhookEndpoint>
{
    public RegisterWebhookSummary()
    {
        Summary = "Register a webhook endpoint";
        Description = "Events about this customer's purchases are POSTed to `url`, signed by the Standard Webhooks " +
                      "scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 with the secret). " +
                      "The answer holds the signing `secret` once; it is stored encrypted and never shown again " +
                      "(rotate it to get a new one). The URL must be https and reach a public address.";
        Params["user"] = "The customer.";
        var id = Guid.Parse("01935e3a-7b2d-7000-8000-00000000a001");
        Response(201, "Registered; the secret is in this answer only.", "application/json", new RegisterWebhookResponse(id,
            "https://retailer.example.com/hooks/purchases", [WebhookEvent.Completed, WebhookEvent.Failed],
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0),
            RegisterWebhookCommand.RegisteredMessage(id)));
        this.Error(400, "The URL or the events are not valid.", RegisterWebhookValidator.EventsMessage);
        this.AccessErrors();
        this.Error(404, "No such customer (an operator's call).", RegisterWebhookCommand.UnknownCustomerMessage);
        this.Error(409, "The customer has as many endpoints as allowed.", RegisterWebhookCommand.LimitMessage(10));
        this.Unavailable();
    }
}
