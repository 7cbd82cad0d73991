using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>A bearer token, kept only as the SHA-256 of its text.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string Role { get; set; }
    /// <summary>The customer's user name, or the worker's or operator's name.</summary>
    public required string Name { get; set; }
    public Guid? CustomerId { get; set; }
    public required byte[] TokenHash { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant? RevokedAt { get; set; }
}

public static class TokenRole
{
    public const string Customer = "customer";
    public const string Worker = "worker";
    public const string Operator = "operator";
}
