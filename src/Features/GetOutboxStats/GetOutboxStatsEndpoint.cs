using FastEndpoints;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetOutboxStats;

public sealed class GetOutboxStatsEndpoint(OutboxStatistics statistics) : EndpointWithoutRequest<GetOutboxStatsResponse>
{
    public override void Configure()
    {
        Get("admin/outbox/stats");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(CancellationToken ct) => await Send.OkAsync(await ReadAsync(statistics, ct), ct);

    public static async Task<GetOutboxStatsResponse> ReadAsync(OutboxStatistics statistics, CancellationToken ct)
    {
        var s = await statistics.ReadAsync(ct);
        return new GetOutboxStatsResponse(s.Pending, s.Submitted, s.Failed, s.OldestPendingAgeSeconds, s.LastSubmittedAt, s.ByKind);
    }
}
