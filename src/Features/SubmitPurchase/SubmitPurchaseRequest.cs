using FastEndpoints;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.SubmitPurchase;

/// <summary>Bound by <see cref="SubmitPurchaseBinder"/>: the route and query values and the already-checked body.</summary>
public sealed class SubmitPurchaseRequest : IRefusableBody
{
    public string User { get; set; } = "";
    [QueryParam]
    public string RetailerId { get; set; } = "";
    /// <summary>Optional <c>Idempotency-Key</c> header; an empty one counts as absent.</summary>
    [FromHeader("Idempotency-Key", IsRequired = false)]
    public string? IdempotencyKey { get; set; }
    /// <summary>SHA-256 of the retailer and the body's bytes: what "the same request" means for a repeated key.</summary>
    public byte[] RequestHash { get; set; } = [];

    /// <summary>Set when the body is refused before it is read as JSON (413, 415).</summary>
    public BodyRejection? Rejection { get; set; }
    public PurchaseSchedule? Schedule { get; set; }
    /// <summary>The first failing check of the body's shape (contract checks 3–5), or null; 6–8 are the schedule's.</summary>
    public string? ScheduleError { get; set; }
}
