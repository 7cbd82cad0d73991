using FastEndpoints;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesRequest : OutboxFilterParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Page size, 1–1000 (default 100).</summary>
    [QueryParam]
    public string? Limit { get; set; }
    /// <summary>The <c>next_cursor</c> of the previous page.</summary>
    [QueryParam]
    public string? Cursor { get; set; }

    public int PageSize => Limit is null ? DefaultLimit : int.Parse(Limit);
}
