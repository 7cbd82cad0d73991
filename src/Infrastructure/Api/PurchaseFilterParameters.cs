using FastEndpoints;
using FluentValidation;
using NodaTime;
using NodaTime.Text;

namespace Purchases.Infrastructure.Api;

/// <summary>
/// The operators' filters that the outbox and the workflow views share, as raw query values (API) or options (CLI):
/// the purchase's user, retailer and id, a creation range <c>[created_from, created_to)</c>, and text in an error.
/// </summary>
public abstract class PurchaseFilterParameters
{
    [QueryParam]
    public string? User { get; set; }
    [QueryParam]
    public string? RetailerId { get; set; }
    [QueryParam]
    public string? PurchaseId { get; set; }
    [QueryParam]
    public string? CreatedFrom { get; set; }
    [QueryParam]
    public string? CreatedTo { get; set; }
    /// <summary>Text that the error contains, ignoring case.</summary>
    [QueryParam]
    public string? ErrorContains { get; set; }

    public Guid? PurchaseGuid => PurchaseId is null ? null : Guid.Parse(PurchaseId);
    public Instant? CreatedFromInstant => ParseInstant(CreatedFrom);
    public Instant? CreatedToInstant => ParseInstant(CreatedTo);

    static Instant? ParseInstant(string? text) => text is null ? null : InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
}

public sealed class PurchaseFilterRules : AbstractValidator<PurchaseFilterParameters>
{
    public PurchaseFilterRules()
    {
        RuleFor(p => p.PurchaseId).Must(id => id is null || Guid.TryParseExact(id, "D", out _))
            .WithMessage("Query parameter \"purchase_id\" must be a UUID.");
        RuleFor(p => p.CreatedFrom).Must(IsInstant)
            .WithMessage("Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
        RuleFor(p => p.CreatedTo).Must(IsInstant)
            .WithMessage("Query parameter \"created_to\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
    }

    static bool IsInstant(string? text) => text is null || InstantPattern.ExtendedIso.Parse(text).Success;
}
