namespace Purchases.Infrastructure.Reconcile;

public static class ReconcileRegistration
{
    /// <summary>The reconciler's services; its Quartz job is scheduled by <c>AddBackgroundJobs</c>; Argo's watch follows as a hosted service.</summary>
    public static WebApplicationBuilder AddReconciler(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReconcileMetrics>();
        builder.Services.AddSingleton<WorkflowStatistics>();
        builder.Services.AddSingleton<WorkflowReconciler>();
        builder.Services.AddHostedService<WorkflowWatch>();
        return builder;
    }
}
