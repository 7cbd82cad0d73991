using System.Security.Claims;
using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ReplayOutboxEntry;

public sealed class ReplayOutboxEntryEndpoint(NpgsqlDataSource dataSource, OutboxSignal outbox, IClock clock)
    : Endpoint<ReplayOutboxEntryRequest, ReplayOutboxEntryResponse>
{
    public override void Configure()
    {
        Post("admin/outbox/{id}/replay");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(ReplayOutboxEntryRequest req, CancellationToken ct)
    {
        var operatorName = User.FindFirstValue(ClaimTypes.Name)!;
        switch (await ReplayOutboxEntryCommand.RunAsync(dataSource, req.Id, operatorName, clock.GetCurrentInstant(), ct))
        {
            case ReplayResult.NotFound:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ReplayOutboxEntryCommand.NotFoundMessage);
                break;
            case ReplayResult.AlreadySubmitted:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status409Conflict, ReplayOutboxEntryCommand.AlreadySubmittedMessage);
                break;
            default:
                outbox.Nudge();
                var id = Guid.Parse(req.Id);
                await Send.OkAsync(new ReplayOutboxEntryResponse(id, OutboxState.Pending, ReplayOutboxEntryCommand.ReplayedMessage(id)), ct);
                break;
        }
    }
}
