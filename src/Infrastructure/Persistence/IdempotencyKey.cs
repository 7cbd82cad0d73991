using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// A submit's <c>Idempotency-Key</c>, scoped to the user: the hash of the request it came with and the answer given,
/// written in the purchase's transaction. No foreign key to the purchase: the key row is written first, so that a
/// concurrent repeat waits on it before doing any work.
/// </summary>
public sealed class IdempotencyKey
{
    public required string UserName { get; set; }
    public required string Key { get; set; }
    public required byte[] RequestHash { get; set; }
    public Guid PurchaseId { get; set; }
    /// <summary>The 201 body as sent, byte for byte (text, not jsonb, which would reorder its keys).</summary>
    public required string Response { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant ExpiresAt { get; set; }
}
