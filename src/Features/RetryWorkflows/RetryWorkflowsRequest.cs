using FastEndpoints;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.RetryWorkflows;

/// <summary>The list's filters (only failed purchases can be retried); <c>dry_run=true</c> only counts.</summary>
public sealed class RetryWorkflowsRequest : WorkflowFilterParameters
{
    public const int MaxLimit = 1000;

    [QueryParam]
    public string? DryRun { get; set; }
    /// <summary>At most this many purchases per call, newest first (1–1000, default 1000).</summary>
    [QueryParam]
    public string? Limit { get; set; }

    public bool IsDryRun => DryRun is "true" or "1";
    public int MaxPurchases => Limit is null ? MaxLimit : int.Parse(Limit);
}
