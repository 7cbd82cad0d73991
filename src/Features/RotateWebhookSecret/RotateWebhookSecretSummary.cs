using Purchases.Infrastructure.Api;
using FastEndpoints;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.RotateWebhookSecret;

public sealed class RotateWebhookSecretSummary : Summary<RotateWebhookSecretEndpoint>
{
    public RotateWebhookSecretSummary()
    {
        Summary = "Rotate a webhook endpoint's secret";
        Description = "A new signing secret, shown once. The previous one keeps signing for the grace period " +
                      "(`Webhooks:RotationGrace`, 24 hours by default): meanwhile `webhook-signature` carries one " +
                      "signature per secret, space-separated, and a receiver accepts either.";
        Params["user"] = "The customer.";
        Params["webhook_id"] = "The endpoint's id.";
        var until = NodaTime.Instant.FromUtc(2025, 11, 11, 9, 0);
        Response(200, "Rotated; the new secret is in this answer only.", "application/json", new RotateWebhookSecretResponse(
            Guid.Parse("01935e3a-7b2d-7000-8000-00000000a001"), "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", until,
            RotateWebhookSecretCommand.RotatedMessage(until)));
        this.AccessErrors();
        this.Error(404, "The customer has no such endpoint.", ApiErrors.WebhookNotFound);
        this.Unavailable();
    }
}
