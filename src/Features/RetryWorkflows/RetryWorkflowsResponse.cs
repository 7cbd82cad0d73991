namespace Purchases.Features.RetryWorkflows;

/// <param name="Retried">Purchases back to pending (in place plus re-created); 0 for a dry run.</param>
/// <param name="Refused">Those Argo refused or did not answer, with the reason; they stay failed.</param>
public sealed record RetryWorkflowsResponse(int Retried, int RetriedInPlace, int Recreated, bool DryRun,
    IReadOnlyList<RetryRefusal> Refused);

public sealed record RetryRefusal(Guid PurchaseId, string Error);
