using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Purchases.Infrastructure.Api;

/// <summary>
/// Arrays of up to 64 KB from the shared pool, which keeps enough of them for every request in flight (a day's
/// schedule: a 5 KB body, 96 local times); larger ones (a year's: a 1.75 MB body, 35,040 local times) from a pool of
/// our own that keeps at most four of each size, since the shared one keeps an array per thread and per core, and a
/// few large arrays rented on many threads would stay resident. An array goes back to the pool its length says it
/// came from.
/// </summary>
public sealed class BoundedArrayPool<T>(int maxLength) : ArrayPool<T>
{
    // A power of two, so that every array the shared pool hands out is at most this long and every other one longer.
    static readonly int SmallMax = 1 << BitOperations.Log2((uint)(64 * 1024 / Unsafe.SizeOf<T>()));
    readonly ArrayPool<T> _large = Create(maxLength, 4);

    public override T[] Rent(int minimumLength) => minimumLength <= SmallMax ? Shared.Rent(minimumLength) : _large.Rent(minimumLength);

    public override void Return(T[] array, bool clearArray = false)
    {
        if (array.Length <= SmallMax) Shared.Return(array, clearArray);
        else _large.Return(array, clearArray);
    }
}
