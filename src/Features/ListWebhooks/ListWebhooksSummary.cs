using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.ListWebhooks;

public sealed class ListWebhooksSummary : Summary<ListWebhooksEndpoint>
{
    public ListWebhooksSummary()
    {
        Summary = "List webhook endpoints";
        Description = "The customer's endpoints, oldest first, without their secrets.";
        Params["user"] = "The customer.";
        var at = NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0);
        Response(200, "The endpoints.", "application/json", new ListWebhooksResponse([new WebhookItem(
            Guid.Parse("01935e3a-7b2d-7000-8000-00000000a001"), "https://retailer.example.com/hooks/purchases",
            [WebhookEvent.Completed, WebhookEvent.Failed], at, at, null)]));
        this.AccessErrors();
        this.Unavailable();
    }
}
