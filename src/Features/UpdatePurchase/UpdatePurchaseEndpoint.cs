using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.UpdatePurchase;

/// <summary>The strategy workflow (a worker token) reports its results; the outputs replace the stored ones.</summary>
public sealed class UpdatePurchaseEndpoint(PurchasesDbContext db, IClock clock)
    : Endpoint<UpdatePurchaseRequest, UpdatePurchaseResponse>
{
    public override void Configure()
    {
        Put("user/{user}/purchase/{purchase_id}/update");
        Policies(AccessPolicies.ReadOrReportForUser);
        RequestBinder(new UpdatePurchaseBinder());
        PreProcessor<BodyRejectionCheck<UpdatePurchaseRequest>>();
        Options(b => b.WithMetadata(new JsonRequestBody(typeof(UpdatePurchaseBody), UpdatePurchaseBody.Example)).WithMetadata(new InternalErrorMessage("Internal server error while updating purchase.")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(UpdatePurchaseRequest req, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var updated = Guid.TryParseExact(req.PurchaseId, "D", out var id) && await db.Purchases
            .Where(p => p.Id == id && p.UserName == req.User)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.StrategyOutput, req.Outputs)
                .SetProperty(p => p.Status, req.Status)
                .SetProperty(p => p.Error, req.Error)
                .SetProperty(p => p.UpdatedAt, now), ct) == 1;
        if (!updated)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
            return;
        }

        await Send.OkAsync(new UpdatePurchaseResponse(id, req.Status, req.Error, now,
            $"CustomerPurchase {id} updated successfully"), ct);
    }
}
