namespace Purchases.Infrastructure.Outbox;

public static class OutboxRegistration
{
    /// <summary>The drain's services; its Quartz jobs are scheduled by <c>AddBackgroundJobs</c>.</summary>
    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddSingleton<OutboxStatistics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxDrainer>();
        return builder;
    }
}
