using NodaTime;

namespace Purchases.Features.SubmitPurchase;

/// <summary>A validated schedule as parallel arrays, ready for the binary COPY.</summary>
public sealed class PurchaseSchedule(LocalDateTime[] localTimes, Instant[] instants, decimal[] megawatts)
{
    public LocalDateTime[] LocalTimes { get; } = localTimes;
    public Instant[] Instants { get; } = instants;
    public decimal[] Megawatts { get; } = megawatts;
    public int Count => LocalTimes.Length;
}
