using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsValidator : Validator<ListWorkflowsRequest>
{
    public ListWorkflowsValidator()
    {
        Include(new WorkflowFilterRules());
        RuleFor(r => r.Limit)
            .Must(l => l is null || int.TryParse(l, out var n) && n is >= 1 and <= ListWorkflowsRequest.MaxLimit)
            .WithMessage($"Query parameter \"limit\" must be a whole number from 1 to {ListWorkflowsRequest.MaxLimit}.");
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryParse(c, out _))
            .WithMessage("Query parameter \"cursor\" is not a cursor this API gave.");
    }
}
