using FastEndpoints;

namespace Purchases.Features.RetryWorkflow;

public sealed class RetryWorkflowRequest
{
    public string PurchaseId { get; set; } = "";

    /// <summary><c>true</c>: only say what a retry would do.</summary>
    [QueryParam]
    public string? DryRun { get; set; }

    public bool IsDryRun => DryRun is "true" or "1";
}
