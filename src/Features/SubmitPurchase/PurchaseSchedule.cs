using System.Buffers;
using NodaTime;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// A validated schedule as parallel arrays, ready for the binary COPY. The arrays are rented (a year is three
/// large-object arrays of 560 KB) and may be longer than <see cref="Count"/>; dispose the schedule once it is stored.
/// </summary>
public sealed class PurchaseSchedule(int count) : IDisposable
{
    int _disposed;

    public int Count { get; } = count;
    public LocalDateTime[] LocalTimes { get; } = ArrayPool<LocalDateTime>.Shared.Rent(count);
    public Instant[] Instants { get; } = ArrayPool<Instant>.Shared.Rent(count);
    public decimal[] Megawatts { get; } = ArrayPool<decimal>.Shared.Rent(count);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ArrayPool<LocalDateTime>.Shared.Return(LocalTimes);
        ArrayPool<Instant>.Shared.Return(Instants);
        ArrayPool<decimal>.Shared.Return(Megawatts);
    }
}
