using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>A retailer's account; <see cref="UserName"/> is the <c>{user}</c> of the URLs.</summary>
public sealed class Customer
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public Instant CreatedAt { get; set; }
}
