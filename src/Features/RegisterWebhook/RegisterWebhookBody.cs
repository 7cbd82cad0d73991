namespace Purchases.Features.RegisterWebhook;

/// <summary>The body as documented.</summary>
/// <param name="Url">Where events are POSTed: an absolute https URL that reaches a public address.</param>
/// <param name="Events">One or more of purchase.completed, purchase.failed, purchase.status_changed.</param>
public sealed record RegisterWebhookBody(string Url, string[] Events)
{
    public const string Example = """
        {"url": "https://retailer.example.com/hooks/purchases", "events": ["purchase.completed", "purchase.failed"]}
        """;
}
