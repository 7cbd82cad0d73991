namespace Purchases.Features.RemoveWebhook;

public sealed class RemoveWebhookRequest
{
    public string User { get; set; } = "";
    public string WebhookId { get; set; } = "";
}
