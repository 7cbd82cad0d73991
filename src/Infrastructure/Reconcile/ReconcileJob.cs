using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Quartz;

namespace Purchases.Infrastructure.Reconcile;

[DisallowConcurrentExecution]
public sealed class ReconcileJob(WorkflowReconciler reconciler, IOptions<ReconcileOptions> options, ILogger<ReconcileJob> logger)
    : IJob
{
    public static readonly JobKey Key = new("workflow-reconcile", "reconcile");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        try
        {
            await reconciler.ReconcileAsync(ct);
        }
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e))
        {
            logger.LogWarning("Workflow reconciliation paused, the database is unavailable: {Reason}", e.GetBaseException().Message);
        }
    }
}
