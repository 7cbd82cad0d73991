using Purchases.Infrastructure.Api;
using FastEndpoints;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsRequest : WorkflowFilterParameters, IPageRequest
{
    /// <summary>Page size, 1–1000 (default 100).</summary>
    [QueryParam]
    public string? Limit { get; set; }
    /// <summary>The <c>next_cursor</c> of the previous page.</summary>
    [QueryParam]
    public string? Cursor { get; set; }
}
