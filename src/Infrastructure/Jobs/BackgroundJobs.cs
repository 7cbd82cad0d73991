using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Persistence.Partitions;
using Purchases.Infrastructure.Reconcile;
using Quartz;

namespace Purchases.Infrastructure.Jobs;

public static class BackgroundJobs
{
    /// <summary>
    /// Quartz, in memory: the outbox drain (nudged after each commit, polled as a safety net), the workflow
    /// reconciler, the outbox cleanup, the expiry of idempotency keys, and the monthly partitions of the schedule rows; and the listener for notifications from other processes. On shutdown Quartz waits for running jobs, and the drain stops claiming.
    /// </summary>
    public static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        var outbox = builder.Configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();
        var reconcile = builder.Configuration.GetSection(ReconcileOptions.Section).Get<ReconcileOptions>() ?? new ReconcileOptions();
        var partitions = builder.Configuration.GetSection(RowPartitionOptions.Section).Get<RowPartitionOptions>() ?? new RowPartitionOptions();
        builder.Services.AddQuartz(q =>
        {
            Every<OutboxDrainJob>(q, OutboxDrainJob.Key, outbox.PollInterval, startNow: true);
            Every<OutboxCleanupJob>(q, OutboxCleanupJob.Key, outbox.CleanupInterval);
            Every<ReconcileJob>(q, ReconcileJob.Key, reconcile.Interval, startNow: true);
            Every<IdempotencyKeyCleanupJob>(q, IdempotencyKeyCleanupJob.Key, TimeSpan.FromHours(1));
            Every<RowPartitionsJob>(q, RowPartitionsJob.Key, partitions.Interval, startNow: true);
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<DatabaseNotifications>();
        return builder;
    }

    static void Every<TJob>(IQuartzBuilder q, JobKey key, TimeSpan interval, bool startNow = false) where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());
        q.AddTrigger(t =>
        {
            t.ForJob(key).WithIdentity($"{key.Name}-every", key.Group).WithSchedule(SimpleScheduleBuilder.Create()
                .WithInterval(interval).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            if (startNow) t.StartNow();
            else t.StartAt(DateTimeOffset.UtcNow.AddMinutes(1));
        });
    }
}
