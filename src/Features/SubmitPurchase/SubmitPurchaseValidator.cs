using FastEndpoints;
using FluentValidation;

namespace Purchases.Features.SubmitPurchase;

/// <summary>The contract's checks in their order; the first failure is the answer.</summary>
public sealed class SubmitPurchaseValidator : Validator<SubmitPurchaseRequest>
{
    public SubmitPurchaseValidator()
    {
        RuleFor(r => r.User).NotEmpty().WithMessage("Missing required URL parameter \"user\".");
        RuleFor(r => r.RetailerId).NotEmpty().WithMessage("Missing required query parameter \"retailer_id\".");
        RuleFor(r => r.IdempotencyKey).MaximumLength(255).WithMessage("Idempotency-Key must be at most 255 characters.");
        RuleFor(r => r.ScheduleError).Null().WithMessage(r => r.ScheduleError);
    }
}
