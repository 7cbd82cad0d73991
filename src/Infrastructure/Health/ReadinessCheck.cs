using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Health;

/// <summary>
/// Ready while the database answers, even with Argo down (submissions wait in the outbox); degraded when Argo is
/// not configured or entries are failing; unhealthy (503) only when the database is unreachable.
/// </summary>
public sealed class ReadinessCheck(ReadinessFigures figures, ReadReplica reads, IOptions<ArgoOptions> argo) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        ReadinessSnapshot snapshot;
        try
        {
            snapshot = await figures.ReadAsync(ct);
        }
        catch (Exception e) when (Api.ApiErrors.IsDatabaseUnavailable(e))
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }

        var outbox = snapshot.Outbox;
        var data = new Dictionary<string, object>
            { ["outbox"] = outbox, ["workflows"] = snapshot.Workflows, ["argo_configured"] = argo.Value.IsConfigured };
        // Reads fall back to the primary, so the replica's state is reported but never makes the service unready.
        if (reads.HasReplica) data["read_replica"] = await reads.StatusAsync(ct);
        return argo.Value.IsConfigured && outbox.Failed == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded(argo.Value.IsConfigured ? "outbox entries are failing" : "Argo is not configured", data: data);
    }
}
