using NodaTime;

namespace Purchases.Features.RotateWebhookSecret;

/// <param name="Secret">The new signing secret: shown here once.</param>
/// <param name="PreviousSecretExpiresAt">Until then deliveries carry a signature by each secret.</param>
public sealed record RotateWebhookSecretResponse(Guid Id, string Secret, Instant PreviousSecretExpiresAt, string Message);
