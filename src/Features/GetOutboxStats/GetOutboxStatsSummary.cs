using Purchases.Infrastructure.Outbox;
using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetOutboxStats;

public sealed class GetOutboxStatsSummary : Summary<GetOutboxStatsEndpoint>
{
    public GetOutboxStatsSummary()
    {
        Summary = "Count outbox entries";
        Description = "Entries per state, the age of the oldest pending one, and when the last workflow was created.";
        Response(200, "The counts.", "application/json",
            new GetOutboxStatsResponse(3, 1200, 2, 4.2, NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0),
                new Dictionary<string, OutboxKindCounts>
                {
                    ["argo.workflow.create"] = new(1, 800, 2), ["webhook.delivery"] = new(2, 400, 0),
                }));
        this.AccessErrors();
        this.Unavailable();
    }
}
