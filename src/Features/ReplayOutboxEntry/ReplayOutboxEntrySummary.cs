using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ReplayOutboxEntry;

public sealed class ReplayOutboxEntrySummary : Summary<ReplayOutboxEntryEndpoint>
{
    public ReplayOutboxEntrySummary()
    {
        Summary = "Replay one outbox entry";
        Description = "A failed or pending entry goes back to pending with attempts 0, due now, and is sent within about " +
                      "a second. The replay is counted and audited. A workflow that already exists is never created twice.";
        Params["id"] = "The outbox entry id.";
        var id = Guid.Parse("01935e3a-7b2d-7000-8000-000000000001");
        Response(200, "Queued.", "application/json", new ReplayOutboxEntryResponse(id, "pending", ReplayOutboxEntryCommand.ReplayedMessage(id)));
        this.AccessErrors();
        this.Error(404, "No such entry.", ReplayOutboxEntryCommand.NotFoundMessage);
        this.Error(409, "The entry is submitted: its workflow exists.", ReplayOutboxEntryCommand.AlreadySubmittedMessage);
        this.Unavailable();
    }
}
