namespace Purchases.Tests.Infrastructure;

/// <summary>
/// A draining instance whose webhooks may go to the tests' receivers on loopback over http (as a receiver inside
/// the network would be configured), with a one-second delivery timeout and an absolute event URL.
/// </summary>
public sealed class WebhookApiFactory : DrainingApiFactory
{
    public const string PublicBaseUrl = "https://purchases.example.com";

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
    [
        ("Webhooks:AllowPrivateAddresses", "true"), ("Webhooks:AllowHttp", "true"), ("Webhooks:Timeout", "00:00:01"),
        ("Webhooks:PublicBaseUrl", PublicBaseUrl), ("Outbox:MaxAttempts", "4"),
    ];
}
