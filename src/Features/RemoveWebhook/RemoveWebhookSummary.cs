using Purchases.Infrastructure.Api;
using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.RemoveWebhook;

public sealed class RemoveWebhookSummary : Summary<RemoveWebhookEndpoint>
{
    public RemoveWebhookSummary()
    {
        Summary = "Remove a webhook endpoint";
        Description = "Nothing more is sent to it; deliveries not yet made are dropped (they show as failed to operators).";
        Params["user"] = "The customer.";
        Params["webhook_id"] = "The endpoint's id.";
        Response(204, "Removed.");
        this.AccessErrors();
        this.Error(404, "The customer has no such endpoint.", ApiErrors.WebhookNotFound);
        this.Unavailable();
    }
}
