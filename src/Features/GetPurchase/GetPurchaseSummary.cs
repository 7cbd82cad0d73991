using System.Text.Json;
using FastEndpoints;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetPurchase;

public sealed class GetPurchaseSummary : Summary<GetPurchaseEndpoint>
{
    public GetPurchaseSummary()
    {
        Summary = "Get a purchase and its strategy output";
        Description = "`strategy_output` and `error` are null until the workflow reports back. With `idmodel`, " +
                      "`strategy_output` is the output object itself when its own `idmodel` matches, else the first " +
                      "object with that `idmodel` in any of its array-valued properties, else null (numbers and strings " +
                      "compare by their text). `workflow` tells where the Argo submission stands (`state`, `attempts`, " +
                      "`submitted_at`, `last_error` of its outbox entry) and what the workflow is doing: `phase` is Argo's " +
                      "`status.phase` as last read by the reconciler (`\"\"`, `Pending`, `Running`, `Succeeded`, `Failed`, " +
                      "`Error`, or `Deleted` when Argo no longer has it; null before the first read), with Argo's `message`, " +
                      "`started_at` and `finished_at`.";
        Params["user"] = "The user the purchase belongs to.";
        Params["purchase_id"] = "The purchase id (a UUID).";
        Params["idmodel"] = "Optional: keep only the model output with this idmodel.";
        var at = NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0);
        Response(200, "The purchase.", "application/json", new GetPurchaseResponse(
            Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f"), "completed", "", at,
            new StoredJson("""{"idmodel": 7, "buy": [1.5, 2.0]}"""), at + NodaTime.Duration.FromMinutes(30), 96, "123",
            new WorkflowView("purchase-01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f", "submitted", 0, at + NodaTime.Duration.FromSeconds(1), null,
                "Succeeded", null, at + NodaTime.Duration.FromSeconds(2), at + NodaTime.Duration.FromMinutes(29))));
        this.AccessErrors();
        this.Error(404, "No such purchase under this user (or the id is not a UUID).", ApiErrors.PurchaseNotFound);
        this.Error(500, "An unexpected fault.", "Internal server error while retrieving purchase.");
        this.Unavailable();
    }
}
