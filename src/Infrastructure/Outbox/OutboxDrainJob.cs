using Purchases.Infrastructure.Api;
using Quartz;

namespace Purchases.Infrastructure.Outbox;

[DisallowConcurrentExecution]
public sealed class OutboxDrainJob(OutboxDrainer drainer, OutboxSignal signal, ILogger<OutboxDrainJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox-drain", "outbox");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        signal.Acknowledge();
        try
        {
            await drainer.DrainAsync(ct);
        }
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e))
        {
            // Nothing was claimed or a lease will lapse; the next run picks up where this one stopped.
            logger.LogWarning("Outbox drain paused, the database is unavailable: {Reason}", e.GetBaseException().Message);
        }
    }
}
