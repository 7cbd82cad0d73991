using System.Buffers;
using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Which local times a schedule named before, and where first: items later than every earlier one (nearly all, as
/// schedules come in order) are kept as a sorted run and searched by bisection; the few others (the repeated
/// fall-back hour, an unordered schedule) in a small dictionary. No per-item allocation for an ordered year.
/// </summary>
public sealed class SeenLocalTimes(LocalDateTime[] localTimes) : IDisposable
{
    static readonly ArrayPool<int> Pool = new BoundedArrayPool<int>(1 << 17);

    readonly int[] _ascending = Pool.Rent(Math.Max(localTimes.Length, 1));
    int _ascendingCount;
    Dictionary<LocalDateTime, (int FirstIndex, int Times)>? _others;

    /// <summary>Records item <paramref name="index"/> (already in <c>localTimes</c>); returns where it was first named and how often before.</summary>
    public (int FirstIndex, int Times) Add(int index)
    {
        var local = localTimes[index];
        if (_ascendingCount == 0 || local > localTimes[_ascending[_ascendingCount - 1]])
        {
            _ascending[_ascendingCount++] = index;
            return (index, 0);
        }

        _others ??= new Dictionary<LocalDateTime, (int, int)>();
        if (_others.TryGetValue(local, out var earlier))
        {
            _others[local] = (earlier.FirstIndex, earlier.Times + 1);
            return earlier;
        }
        var first = FirstInAscending(local);
        _others[local] = first < 0 ? (index, 1) : (first, 2);
        return first < 0 ? (index, 0) : (first, 1);
    }

    int FirstInAscending(LocalDateTime local)
    {
        int low = 0, high = _ascendingCount - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var comparison = localTimes[_ascending[middle]].CompareTo(local);
            if (comparison == 0) return _ascending[middle];
            if (comparison < 0) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    public void Dispose() => Pool.Return(_ascending);
}
