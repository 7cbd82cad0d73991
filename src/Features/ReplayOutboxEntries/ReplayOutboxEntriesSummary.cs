using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ReplayOutboxEntries;

public sealed class ReplayOutboxEntriesSummary : Summary<ReplayOutboxEntriesEndpoint>
{
    public ReplayOutboxEntriesSummary()
    {
        Summary = "Replay every matching outbox entry";
        Description = "All entries matching the list filters (`state` defaults to failed; pending is allowed) go back to " +
                      "pending at once, in one statement; a second call answers 0. `dry_run=true` only counts them " +
                      "(`would_replay`).";
        this.OutboxFilterParams();
        Params["dry_run"] = "true: only count the entries that would be replayed.";
        Response(200, "How many were replayed.", "application/json", new ReplayOutboxEntriesResponse(42));
        this.Error(400, "A query value is not valid.", "Submitted entries cannot be replayed: they have their workflow already.");
        this.AccessErrors();
        this.Unavailable();
    }
}
