using FastEndpoints;
using FluentValidation;

namespace Purchases.Features.RetryWorkflow;

public sealed class RetryWorkflowValidator : Validator<RetryWorkflowRequest>
{
    public RetryWorkflowValidator()
    {
        RuleFor(r => r.DryRun).Must(d => d is null or "true" or "false" or "1" or "0")
            .WithMessage("Query parameter \"dry_run\" must be true or false.");
    }
}
