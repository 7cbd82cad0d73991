using Quartz;

namespace Purchases.Infrastructure.Outbox;

/// <summary>
/// Wakes the drain after a commit: never blocks the caller, and coalesces, so a burst of commits while a run is
/// busy leads to one more run, not one per commit.
/// </summary>
public sealed class OutboxSignal(ISchedulerFactory schedulers, ILogger<OutboxSignal> logger)
{
    int _requested;

    public void Nudge()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1) return;
        _ = TriggerAsync();
    }

    /// <summary>Called by the drain when it starts: nudges from now on ask for another run.</summary>
    internal void Acknowledge() => Interlocked.Exchange(ref _requested, 0);

    async Task TriggerAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            await scheduler.TriggerJob(OutboxDrainJob.Key, new JobDataMap(), CancellationToken.None);
        }
        catch (Exception e)
        {
            Acknowledge();
            logger.LogWarning(e, "Could not nudge the outbox drain; polling will pick the entry up");
        }
    }
}
