using StandardWebhooks;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>
/// The Standard Webhooks signature (<c>webhook-signature</c>: <c>v1,</c> + base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>), by the StandardWebhooks package; one per secret, space-separated,
/// so that while a rotated secret is still in its grace period both the new and the old signature are sent.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, body)));
}
