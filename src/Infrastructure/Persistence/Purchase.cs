using NodaTime;

namespace Purchases.Infrastructure.Persistence;

public sealed class Purchase
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string RetailerId { get; set; }
    public required string Status { get; set; }
    public string? Error { get; set; }
    public string? StrategyOutput { get; set; }
    public int RowsUploaded { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant UpdatedAt { get; set; }
}

public static class PurchaseStatus
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>In the order the contract lists them in its message.</summary>
    public static readonly string[] All = [Failed, Pending, InProgress, Completed];
}
