using Purchases.Infrastructure.Api;
using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesValidator : Validator<ListOutboxEntriesRequest>
{
    public ListOutboxEntriesValidator()
    {
        Include(new OutboxFilterRules());
        RuleFor(r => r.Limit)
            .Must(l => l is null || int.TryParse(l, out var n) && n is >= 1 and <= ListOutboxEntriesRequest.MaxLimit)
            .WithMessage($"Query parameter \"limit\" must be a whole number from 1 to {ListOutboxEntriesRequest.MaxLimit}.");
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryParse(c, out _))
            .WithMessage("Query parameter \"cursor\" is not a cursor this API gave.");
    }
}
