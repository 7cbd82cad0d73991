using FastEndpoints;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsRequest : WorkflowFilterParameters
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
