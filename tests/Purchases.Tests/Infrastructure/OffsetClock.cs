using NodaTime;

namespace Purchases.Tests.Infrastructure;

/// <summary>The real clock plus an offset that tests move forward, so backoff delays pass without waiting.</summary>
public sealed class OffsetClock : IClock
{
    long _offsetTicks;

    public Instant GetCurrentInstant() => SystemClock.Instance.GetCurrentInstant() + Duration.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
