using NodaTime;

namespace Purchases.Features.RegisterWebhook;

/// <param name="Secret">The signing secret (Standard Webhooks <c>whsec_</c> form): shown here once, never again.</param>
public sealed record RegisterWebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, string Secret,
    Instant CreatedAt, string Message);
