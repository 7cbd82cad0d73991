using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.ReplayOutboxEntries;

public sealed class ReplayOutboxEntriesValidator : Validator<ReplayOutboxEntriesRequest>
{
    public ReplayOutboxEntriesValidator()
    {
        Include(new OutboxFilterRules());
        RuleFor(r => r.State).NotEqual(OutboxState.Submitted)
            .WithMessage("Submitted entries cannot be replayed: they have their workflow already.");
        RuleFor(r => r.DryRun).Must(d => d is null or "true" or "false" or "1" or "0")
            .WithMessage("Query parameter \"dry_run\" must be true or false.");
    }
}
