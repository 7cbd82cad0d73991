using System.Security.Claims;
using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.ReplayOutboxEntries;

public sealed class ReplayOutboxEntriesEndpoint(NpgsqlDataSource dataSource, OutboxSignal outbox, IClock clock)
    : Endpoint<ReplayOutboxEntriesRequest, ReplayOutboxEntriesResponse>
{
    public override void Configure()
    {
        Post("admin/outbox/replay");
        Policies(AccessPolicies.Operator);
        Description(b => b.WithTags(ApiDocs.OperatorsTag));
    }

    public override async Task HandleAsync(ReplayOutboxEntriesRequest req, CancellationToken ct)
    {
        var result = await ReplayOutboxEntriesCommand.RunAsync(dataSource, req, User.FindFirstValue(ClaimTypes.Name)!,
            clock.GetCurrentInstant(), ct);
        if (result.Replayed > 0) outbox.Nudge();
        await Send.OkAsync(result, ct);
    }
}
