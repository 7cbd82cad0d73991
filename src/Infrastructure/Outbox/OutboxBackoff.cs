using NodaTime;

namespace Purchases.Infrastructure.Outbox;

/// <summary>
/// The contract's formula: after the n-th failure the entry is due again after a uniform random delay in [d/2, d],
/// d = min(cap, base · 2^n); a longer Retry-After from Argo wins.
/// </summary>
public static class OutboxBackoff
{
    public static Duration Delay(int failures, OutboxOptions options, Random random, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Min(failures, 62);
        var d = Math.Min(options.BackoffCap.TotalMilliseconds, options.BackoffBase.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = d / 2 + random.NextDouble() * (d / 2);
        var delay = Duration.FromMilliseconds(jittered);
        return retryAfter is { } wait && Duration.FromTimeSpan(wait) > delay ? Duration.FromTimeSpan(wait) : delay;
    }
}
