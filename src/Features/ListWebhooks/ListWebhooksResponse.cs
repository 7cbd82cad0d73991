using NodaTime;

namespace Purchases.Features.ListWebhooks;

public sealed record ListWebhooksResponse(IReadOnlyList<WebhookItem> Items);

/// <summary>An endpoint as its customer sees it: never its secret.</summary>
/// <param name="PreviousSecretExpiresAt">After a rotation: until when the previous secret still signs (both are sent).</param>
public sealed record WebhookItem(Guid Id, string Url, IReadOnlyList<string> Events, Instant CreatedAt, Instant UpdatedAt,
    Instant? PreviousSecretExpiresAt);
