using FastEndpoints;
using FluentValidation;

namespace Purchases.Features.UpdatePurchase;

public sealed class UpdatePurchaseValidator : Validator<UpdatePurchaseRequest>
{
    public UpdatePurchaseValidator() =>
        RuleFor(r => r.BodyError).Null().WithMessage(r => r.BodyError);
}
