using System.Buffers;
using NodaTime;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// A validated schedule as parallel arrays, ready for the binary COPY. The arrays are rented (a year is three
/// large-object arrays of 560 KB) and may be longer than <see cref="Count"/>; dispose the schedule once it is stored.
/// </summary>
public sealed class PurchaseSchedule(int count) : IDisposable
{
    // Own pools rather than the shared ones, which keep an array per thread and per core (see PooledBody.Pool).
    static readonly ArrayPool<LocalDateTime> LocalTimesPool = ArrayPool<LocalDateTime>.Create(1 << 17, 4);
    static readonly ArrayPool<Instant> InstantsPool = ArrayPool<Instant>.Create(1 << 17, 4);
    static readonly ArrayPool<decimal> MegawattsPool = ArrayPool<decimal>.Create(1 << 17, 4);

    int _disposed;

    public int Count { get; } = count;
    public LocalDateTime[] LocalTimes { get; } = LocalTimesPool.Rent(count);
    public Instant[] Instants { get; } = InstantsPool.Rent(count);
    public decimal[] Megawatts { get; } = MegawattsPool.Rent(count);

    /// <summary>The first and last local date the schedule covers (its items may come in any order).</summary>
    public (LocalDate From, LocalDate To) DeliveryDates()
    {
        LocalDateTime first = LocalTimes[0], last = LocalTimes[0];
        for (var i = 1; i < Count; i++)
        {
            if (LocalTimes[i] < first) first = LocalTimes[i];
            if (LocalTimes[i] > last) last = LocalTimes[i];
        }
        return (first.Date, last.Date);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        LocalTimesPool.Return(LocalTimes);
        InstantsPool.Return(Instants);
        MegawattsPool.Return(Megawatts);
    }
}
