using FastEndpoints;
using FluentValidation;
using NodaTime;

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
    public Instant? CreatedFromInstant => QueryValues.Instant(CreatedFrom);
    public Instant? CreatedToInstant => QueryValues.Instant(CreatedTo);
}

public sealed class PurchaseFilterRules : AbstractValidator<PurchaseFilterParameters>
{
    public PurchaseFilterRules()
    {
        RuleFor(p => p.PurchaseId).Must(id => id is null || Guid.TryParseExact(id, "D", out _))
            .WithMessage("Query parameter \"purchase_id\" must be a UUID.");
        RuleFor(p => p.CreatedFrom).Must(QueryValues.IsInstant).WithMessage(QueryValues.InstantMessage("created_from"));
        RuleFor(p => p.CreatedTo).Must(QueryValues.IsInstant).WithMessage(QueryValues.InstantMessage("created_to"));
    }
}
