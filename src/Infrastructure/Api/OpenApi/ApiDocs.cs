using FastEndpoints;
using Purchases.Infrastructure.Auth;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>The responses every slice documents the same way, with the contract's bodies as examples.</summary>
public static class ApiDocs
{
    public const string PurchasesTag = "Purchases";
    public const string OperatorsTag = "Operators";
    public const string WebhooksTag = "Webhooks";

    public static void Error(this EndpointSummary summary, int status, string description, string example) =>
        summary.Response(status, description, "application/json", new ErrorBody(example));

    /// <summary>401, 403 and 429, which every endpoint may answer.</summary>
    public static void AccessErrors(this EndpointSummary summary)
    {
        summary.Response(401, "No, malformed, unknown or revoked token (`WWW-Authenticate: Bearer`).", "application/json",
            new DetailBody(BearerTokenHandler.NotProvided));
        summary.Response(403, "The token may not do this (another customer's `{user}`, or not an operator).", "application/json",
            new DetailBody(BearerTokenHandler.Forbidden));
        summary.Error(429, "Over the token's rate limit (when enabled); retry after `Retry-After` seconds.", RateLimiting.TooManyRequests);
    }

    /// <summary>The descriptions of the operators' filters, shared by listing and bulk replay.</summary>
    public static void OutboxFilterParams(this EndpointSummary summary)
    {
        summary.Params["state"] = "pending, submitted (for a webhook: delivered) or failed.";
        summary.Params["kind"] = "argo.workflow.create (a workflow to create) or webhook.delivery (an event for a customer's endpoint); both when omitted.";
        summary.Params["user"] = "The purchase's user.";
        summary.Params["retailer_id"] = "The purchase's retailer.";
        summary.Params["purchase_id"] = "One purchase (a UUID).";
        summary.Params["created_from"] = "Created at or after this instant (RFC 3339 UTC).";
        summary.Params["created_to"] = "Created before this instant (RFC 3339 UTC).";
        summary.Params["error_contains"] = "Text that last_error contains, ignoring case.";
    }

    public static void WorkflowFilterParams(this EndpointSummary summary)
    {
        summary.Params["condition"] = "failed (the purchase failed) or stuck (not final, no progress for Reconcile:StuckAfter); both when omitted.";
        summary.Params["user"] = "The purchase's user.";
        summary.Params["retailer_id"] = "The purchase's retailer.";
        summary.Params["purchase_id"] = "One purchase (a UUID).";
        summary.Params["created_from"] = "Purchase created at or after this instant (RFC 3339 UTC).";
        summary.Params["created_to"] = "Purchase created before this instant (RFC 3339 UTC).";
        summary.Params["error_contains"] = "Text that the purchase's error or the workflow's message contains, ignoring case.";
    }

    public static void Unavailable(this EndpointSummary summary) =>
        summary.Error(503, "The database is unreachable; retry after `Retry-After` seconds.", ApiErrors.Unavailable);

    public static void BodyRefusals(this EndpointSummary summary)
    {
        summary.Error(413, "The body is larger than `Purchases:MaxBodyBytes`.", ApiErrors.BodyTooLarge);
        summary.Error(415, "`Content-Type` is not `application/json`.", ApiErrors.UnsupportedMediaType);
    }
}
