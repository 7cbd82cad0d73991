using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.RetryWorkflows;

public sealed class RetryWorkflowsValidator : Validator<RetryWorkflowsRequest>
{
    public RetryWorkflowsValidator()
    {
        Include(new WorkflowFilterRules());
        RuleFor(r => r.Condition).NotEqual(WorkflowFilterParameters.Stuck)
            .WithMessage("Stuck workflows cannot be retried: only failed purchases' workflows can.");
        RuleFor(r => r.DryRun).Must(d => d is null or "true" or "false" or "1" or "0")
            .WithMessage("Query parameter \"dry_run\" must be true or false.");
        RuleFor(r => r.Limit)
            .Must(l => l is null || int.TryParse(l, out var n) && n is >= 1 and <= RetryWorkflowsRequest.MaxLimit)
            .WithMessage($"Query parameter \"limit\" must be a whole number from 1 to {RetryWorkflowsRequest.MaxLimit}.");
    }
}
