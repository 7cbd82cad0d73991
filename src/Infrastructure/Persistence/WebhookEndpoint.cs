using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// A customer's webhook receiver. The signing secret is stored encrypted by ASP.NET Core Data Protection (it must
/// be read back to sign, so it cannot be hashed like a token); after a rotation the previous one still signs until
/// <see cref="PreviousSecretExpiresAt"/>. A removed endpoint keeps its row (its deliveries stay visible to operators)
/// without its secrets.
/// </summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string Url { get; set; }
    public required string[] Events { get; set; }
    public string? ProtectedSecret { get; set; }
    public string? ProtectedPreviousSecret { get; set; }
    public Instant? PreviousSecretExpiresAt { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
    public Instant? DeletedAt { get; set; }
}

public static class WebhookEvent
{
    public const string Completed = "purchase.completed";
    public const string Failed = "purchase.failed";
    public const string StatusChanged = "purchase.status_changed";

    public static readonly string[] All = [Completed, Failed, StatusChanged];
}
