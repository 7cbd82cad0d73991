using NodaTime;
using NodaTime.TimeZones;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Maps local times of one zone to instants like <see cref="DateTimeZone.MapLocal"/>, without allocating a mapping
/// per item: a local time whose instant lies well inside the zone interval of the previous one maps uniquely to it.
/// </summary>
public sealed class LocalTimeMapper(DateTimeZone zone)
{
    // UTC offsets are within ±18 h, so a local time can only map into another interval when its instant is within
    // 36 h of a transition; two days keep clear of that.
    static readonly Duration Margin = Duration.FromDays(2);
    ZoneInterval? _interval;

    /// <summary>How many instants <paramref name="local"/> names (0 in a gap, 2 when the clocks go back), earliest first.</summary>
    public int Map(LocalDateTime local, out Instant earlier, out Instant later)
    {
        if (_interval is { } interval)
        {
            var instant = local.WithOffset(interval.WallOffset).ToInstant();
            if ((!interval.HasStart || instant - interval.Start >= Margin) && (!interval.HasEnd || interval.End - instant > Margin))
            {
                earlier = later = instant;
                return 1;
            }
        }

        var mapping = zone.MapLocal(local);
        _interval = mapping.Count == 1 ? mapping.EarlyInterval : null;
        earlier = mapping.Count > 0 ? mapping.First().ToInstant() : default;
        later = mapping.Count > 0 ? mapping.Last().ToInstant() : default;
        return mapping.Count;
    }
}
