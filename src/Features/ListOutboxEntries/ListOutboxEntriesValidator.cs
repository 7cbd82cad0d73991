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
        Include(new PageRules());
    }
}
