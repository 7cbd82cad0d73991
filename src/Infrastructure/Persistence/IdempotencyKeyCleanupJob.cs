using NodaTime;
using Npgsql;
using Quartz;

namespace Purchases.Infrastructure.Persistence;

/// <summary>Forgets Idempotency-Keys after their 24 hours.</summary>
[DisallowConcurrentExecution]
public sealed class IdempotencyKeyCleanupJob(NpgsqlDataSource dataSource, IClock clock, ILogger<IdempotencyKeyCleanupJob> logger) : IJob
{
    public static readonly JobKey Key = new("idempotency-key-cleanup", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await CleanupAsync(ct);

    public async Task<int> CleanupAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM idempotency_keys WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetCurrentInstant() });
        var deleted = await command.ExecuteNonQueryAsync(ct);
        if (deleted > 0) logger.LogInformation("Forgot {Count} expired idempotency keys", deleted);
        return deleted;
    }
}
