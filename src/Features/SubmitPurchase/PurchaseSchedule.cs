using System.Buffers;
using System.Text.Json;
using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// A submit body whose shape is checked, read and checked a run of items at a time while the runs already read go
/// to PostgreSQL, so that reading a year (8 ms) overlaps the COPY instead of preceding it. Owns the body and rented
/// arrays; the local times are kept for the whole schedule (duplicates, delivery dates), the instants and megawatts
/// only for the current run. Dispose it once it is stored.
/// </summary>
public sealed class PurchaseSchedule : IDisposable
{
    static readonly ArrayPool<LocalDateTime> LocalTimesPool = new BoundedArrayPool<LocalDateTime>(1 << 17);
    static readonly ArrayPool<Instant> InstantsPool = new BoundedArrayPool<Instant>(1 << 17);
    static readonly ArrayPool<decimal> MegawattsPool = new BoundedArrayPool<decimal>(1 << 17);

    /// <summary>Small enough that PostgreSQL inserts a run's rows while the next run is read.</summary>
    public const int ItemsPerRun = 512;

    readonly PooledBody _body;
    int _next;  // where in the body the reader stopped
    JsonReaderState _readerState;
    string? _error;
    int _disposed;

    internal PurchaseSchedule(PooledBody body, int purchaseArrayStart, int count, DateTimeZone zone)
    {
        (_body, Zone, Count) = (body, zone, count);
        LocalTimes = LocalTimesPool.Rent(count);
        Instants = InstantsPool.Rent(Math.Min(count, ItemsPerRun));
        Megawatts = MegawattsPool.Rent(Math.Min(count, ItemsPerRun));
        Mapper = new LocalTimeMapper(zone);
        Seen = new SeenLocalTimes(LocalTimes);
        var reader = new Utf8JsonReader(body.Memory.Span[purchaseArrayStart..]);
        reader.Read();  // the array's '['
        (_next, _readerState) = (purchaseArrayStart + (int)reader.BytesConsumed, reader.CurrentState);
    }

    public int Count { get; }
    /// <summary>How many items, from the first, are read and passed their checks.</summary>
    public int ItemsRead { get; private set; }
    /// <summary>Every item's local time, up to <see cref="ItemsRead"/>.</summary>
    public LocalDateTime[] LocalTimes { get; }
    /// <summary>The current run's instants: item <c>RunStart + k</c> at <c>k</c>.</summary>
    public Instant[] Instants { get; }
    /// <summary>The current run's megawatts, as <see cref="Instants"/>.</summary>
    public decimal[] Megawatts { get; }
    /// <summary>The index of the current run's first item.</summary>
    public int RunStart { get; private set; }
    internal DateTimeZone Zone { get; }
    internal LocalTimeMapper Mapper { get; }
    internal SeenLocalTimes Seen { get; }

    /// <summary>
    /// Reads and checks the next run of up to <see cref="ItemsPerRun"/> items (contract checks 6 to 8, in order):
    /// the first failure's message (again on later calls), or null.
    /// </summary>
    public string? ReadRun()
    {
        if (_error is not null || ItemsRead >= Count) return _error;
        var reader = new Utf8JsonReader(_body.Memory.Span[_next..], isFinalBlock: true, _readerState);
        var read = RunStart = ItemsRead;
        _error = PurchaseScheduleParser.ReadItems(ref reader, ref read, Math.Min(RunStart + ItemsPerRun, Count), this);
        ItemsRead = read;
        (_next, _readerState) = (_next + (int)reader.BytesConsumed, reader.CurrentState);
        return _error;
    }

    /// <summary>Reads and checks the items not read yet, only for the answer: the first failure's message, or null.</summary>
    public string? ReadAll()
    {
        while (ItemsRead < Count && _error is null) ReadRun();
        return _error;
    }

    /// <summary>The first and last local date the schedule covers (its items may come in any order); once all are read.</summary>
    public (LocalDate From, LocalDate To) DeliveryDates()
    {
        if (ItemsRead < Count) throw new InvalidOperationException("The schedule's items are not all read.");
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
        _body.Dispose();
        Seen.Dispose();
        LocalTimesPool.Return(LocalTimes);
        InstantsPool.Return(Instants);
        MegawattsPool.Return(Megawatts);
    }
}
