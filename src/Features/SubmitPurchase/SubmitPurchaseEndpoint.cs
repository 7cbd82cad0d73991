using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.SubmitPurchase;

public sealed class SubmitPurchaseEndpoint(NpgsqlDataSource dataSource, OutboxSignal outbox, IClock clock)
    : Endpoint<SubmitPurchaseRequest, SubmitPurchaseResponse>
{
    public override void Configure()
    {
        // The user-less forms exist so that a missing {user} (".../user//submit-purchase", whose slashes the API
        // merges) gets the contract's message instead of a 404.
        Post("user/{user}/submit-purchase", "user/{user}/submit-purchase/{retailer_id}",
            "user/submit-purchase", "user/submit-purchase/{retailer_id}");
        Policies(AccessPolicies.SubmitForUser);
        RequestBinder(new SubmitPurchaseBinder());
        PreProcessor<BodyRejectionCheck<SubmitPurchaseRequest>>();
        Options(b => b.WithMetadata(new JsonRequestBody(typeof(SubmitPurchaseBody), SubmitPurchaseBody.Example)).WithMetadata(new InternalErrorMessage("Internal server error while creating purchase.")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(SubmitPurchaseRequest req, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetCurrentInstant();
        await SubmitPurchaseStorage.StoreAsync(dataSource, id, req, req.Schedule!, now, ct);
        outbox.Nudge();

        HttpContext.Response.Headers.Location =
            $"/{ApiRegistration.RoutePrefix}/user/{Uri.EscapeDataString(req.User)}/purchase/{id}/get";
        await Send.ResponseAsync(new SubmitPurchaseResponse(
            id, PurchaseStatus.Pending, now, req.Schedule!.Count, null,
            $"Purchase created successfully with ID: {id} for user: {req.User} and retailer: {req.RetailerId}"),
            StatusCodes.Status201Created, ct);
    }
}
