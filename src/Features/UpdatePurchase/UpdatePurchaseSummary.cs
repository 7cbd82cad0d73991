using FastEndpoints;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.UpdatePurchase;

public sealed class UpdatePurchaseSummary : Summary<UpdatePurchaseEndpoint>
{
    public UpdatePurchaseSummary()
    {
        Summary = "Report a purchase's strategy results";
        Description = "What the Argo workflow calls when it is done (with a worker token; the customer and operators may " +
                      "too). `outputs` replaces the stored strategy output; every status transition is allowed. The body " +
                      "is checked before the purchase is looked up.";
        Params["user"] = "The user the purchase belongs to.";
        Params["purchase_id"] = "The purchase id (a UUID).";
        Response(200, "Updated.", "application/json", new UpdatePurchaseResponse(
            Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f"), "completed", "", NodaTime.Instant.FromUtc(2025, 11, 10, 9, 30),
            "CustomerPurchase 01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f updated successfully"));
        this.Error(400, "A body check failed.", "Field \"status\" must be one of: failed, pending, in_progress, completed.");
        this.AccessErrors();
        this.Error(404, "No such purchase under this user (or the id is not a UUID).", ApiErrors.PurchaseNotFound);
        this.BodyRefusals();
        this.Error(500, "An unexpected fault; nothing was changed.", "Internal server error while updating purchase.");
        this.Unavailable();
    }
}
