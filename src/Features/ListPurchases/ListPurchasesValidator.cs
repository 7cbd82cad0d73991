using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.ListPurchases;

public sealed class ListPurchasesValidator : Validator<ListPurchasesRequest>
{
    public ListPurchasesValidator()
    {
        RuleFor(r => r.Status).Must(s => s is null || PurchaseStatus.All.Contains(s))
            .WithMessage($"Query parameter \"status\" must be one of: {string.Join(", ", PurchaseStatus.All)}.");
        RuleFor(r => r.CreatedFrom).Must(QueryValues.IsInstant).WithMessage(QueryValues.InstantMessage("created_from"));
        RuleFor(r => r.CreatedTo).Must(QueryValues.IsInstant).WithMessage(QueryValues.InstantMessage("created_to"));
        RuleFor(r => r.DeliveryFrom).Must(QueryValues.IsDate).WithMessage(QueryValues.DateMessage("delivery_from"));
        RuleFor(r => r.DeliveryTo).Must(QueryValues.IsDate).WithMessage(QueryValues.DateMessage("delivery_to"));
        Include(new PageRules());
    }
}
