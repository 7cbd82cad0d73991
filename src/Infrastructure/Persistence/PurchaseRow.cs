using NodaTime;

namespace Purchases.Infrastructure.Persistence;

/// <summary>One quarter-hour of a schedule: the local market time as given, its instant, and MW exactly.</summary>
public sealed class PurchaseRow
{
    public Guid PurchaseId { get; set; }
    public int Position { get; set; }
    public LocalDateTime LocalTime { get; set; }
    public Instant Instant { get; set; }
    public decimal Mw { get; set; }
}
