using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.SubmitPurchase;

public sealed class SubmitPurchaseSummary : Summary<SubmitPurchaseEndpoint>
{
    public SubmitPurchaseSummary()
    {
        Summary = "Submit a purchase schedule";
        Description =
            "Stores the schedule (MW per quarter-hour of local market time, `Purchases:MarketTimeZone`, default " +
            "Europe/Madrid: 96 rows a day, 92 or 100 on the days the clocks change) with its outbox entry in one " +
            "transaction; the strategy workflow is then created in Argo. The first failing check answers 400 with its " +
            "message, items checked in index order. The older form `POST /api/v0/user/{user}/submit-purchase/{retailer_id}` " +
            "behaves the same. A customer token may submit only for its own `{user}`.";
        Params["user"] = "The customer's user (the token's own, for a customer token).";
        Params["idempotency_key"] = "Optional, at most 255 characters: the same key with the same request within 24 h " +
                                    "answers the first 201 again and creates nothing; with another request, 409.";
        Params["retailer_id"] = "Retailer identifier (required; in the path in the older form).";
        Response(201, "Created; `Location` points at get-purchase.", "application/json", new SubmitPurchaseResponse(
            Guid.Parse("01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f"), "pending", NodaTime.Instant.FromUtc(2025, 11, 10, 9, 0), 96, null,
            "Purchase created successfully with ID: 01935e3a-7b2c-7d4e-9f10-2a3b4c5d6e7f for user: trebolenergia and retailer: 123"));
        this.Error(400, "A check failed; the message names the first problem.",
            "Purchase item at index 3: field \"purchase\" must be a number (in MW unit).");
        this.AccessErrors();
        this.Error(409, "The Idempotency-Key was already used with a different request.", SubmitPurchaseEndpoint.KeyReusedMessage);
        this.BodyRefusals();
        this.Error(500, "An unexpected fault; nothing was stored.", "Internal server error while creating purchase.");
        this.Unavailable();
    }
}
