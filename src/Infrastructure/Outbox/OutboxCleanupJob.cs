using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Quartz;

namespace Purchases.Infrastructure.Outbox;

/// <summary>
/// Deletes submitted entries past the retention, in small batches, once their purchase is final; failed entries are
/// kept for operators.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxCleanupJob(NpgsqlDataSource dataSource, IClock clock, IOptions<OutboxOptions> options,
    ILogger<OutboxCleanupJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox-cleanup", "outbox");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await CleanupAsync(ct);

    public async Task<int> CleanupAsync(CancellationToken ct)
    {
        var cutoff = clock.GetCurrentInstant() - Duration.FromTimeSpan(options.Value.Retention);
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM outbox_entries WHERE id IN (
                    SELECT id FROM outbox_entries e WHERE state = 'submitted' AND submitted_at < $1
                      -- kept while the purchase is not final: the reconciler follows its workflow through it
                      AND (e.kind <> 'argo.workflow.create' OR NOT EXISTS (SELECT 1 FROM purchases p WHERE p.id = e.purchase_id AND p.status IN ('pending', 'in_progress')))
                    LIMIT 1000 FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            var deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
            if (deleted < 1000) break;
        }
        if (total > 0)
            logger.LogInformation("Deleted {Count} submitted outbox entries older than {Cutoff}", total, cutoff);
        return total;
    }
}
