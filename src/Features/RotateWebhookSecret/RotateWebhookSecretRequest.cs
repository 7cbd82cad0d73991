namespace Purchases.Features.RotateWebhookSecret;

public sealed class RotateWebhookSecretRequest
{
    public string User { get; set; } = "";
    public string WebhookId { get; set; } = "";
}
