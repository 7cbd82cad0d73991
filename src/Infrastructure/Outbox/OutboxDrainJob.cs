using Quartz;

namespace Purchases.Infrastructure.Outbox;

[DisallowConcurrentExecution]
public sealed class OutboxDrainJob(OutboxDrainer drainer, OutboxSignal signal) : IJob
{
    public static readonly JobKey Key = new("outbox-drain", "outbox");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        signal.Acknowledge();
        await drainer.DrainAsync(ct);
    }
}
