using NodaTime;

namespace Purchases.Features.GetOutboxStats;

public sealed record GetOutboxStatsResponse(long Pending, long Submitted, long Failed, double OldestPendingAgeSeconds,
    Instant? LastSubmittedAt);
