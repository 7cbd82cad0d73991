namespace Purchases.Features.RegisterWebhook;

public sealed class RegisterWebhookRequest
{
    public string User { get; set; } = "";
    /// <summary>Where events are POSTed: an absolute https URL on a public address.</summary>
    public string? Url { get; set; }
    /// <summary>purchase.completed, purchase.failed and/or purchase.status_changed.</summary>
    public string[]? Events { get; set; }
}
