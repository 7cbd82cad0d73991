using NodaTime;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Features.GetOutboxStats;

/// <param name="ByKind">The same counts for Argo creates (<c>argo.workflow.create</c>) and webhook deliveries (<c>webhook.delivery</c>).</param>
public sealed record GetOutboxStatsResponse(long Pending, long Submitted, long Failed, double OldestPendingAgeSeconds,
    Instant? LastSubmittedAt, IReadOnlyDictionary<string, OutboxKindCounts> ByKind);
