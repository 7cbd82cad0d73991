namespace Purchases.Features.RetryWorkflow;

/// <param name="Action"><c>retried_in_place</c> (Argo's retry, same workflow) or <c>recreated</c> (through the outbox).</param>
public sealed record RetryWorkflowResponse(Guid PurchaseId, string Status, string Action, int RetryCount, bool DryRun, string Message);
