using Quartz;

namespace Purchases.Infrastructure.Persistence.Partitions;

[DisallowConcurrentExecution]
public sealed class RowPartitionsJob(RowPartitions partitions) : IJob
{
    public static readonly JobKey Key = new("row-partitions", "persistence");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await partitions.MaintainAsync(ct);
}
