using Quartz;

namespace Purchases.Infrastructure.Outbox;

public static class OutboxRegistration
{
    /// <summary>The drain (nudged after each commit, polled as a safety net) and the cleanup, as Quartz jobs in memory.</summary>
    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddSingleton<OutboxStatistics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxDrainer>();
        builder.Services.AddHostedService<OutboxNotifications>();

        var options = builder.Configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<OutboxDrainJob>(j => j.WithIdentity(OutboxDrainJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(OutboxDrainJob.Key).WithIdentity("outbox-drain-poll", "outbox").StartNow()
                .WithSchedule(EveryInterval(options.PollInterval)));
            q.AddJob<OutboxCleanupJob>(j => j.WithIdentity(OutboxCleanupJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(OutboxCleanupJob.Key).WithIdentity("outbox-cleanup-poll", "outbox")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(1)).WithSchedule(EveryInterval(options.CleanupInterval)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    static SimpleScheduleBuilder EveryInterval(TimeSpan interval) => SimpleScheduleBuilder.Create()
        .WithInterval(interval).RepeatForever()
        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount);
}
