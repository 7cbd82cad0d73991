using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Infrastructure.Health;

public static class HealthEndpoints
{
    const string ReadinessTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadinessFigures>();
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("database-and-outbox", tags: [ReadinessTag]);
        return builder;
    }

    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database answers; the outbox backlog.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => ApiErrors.WriteAsync(context, StatusCodes.Status200OK, new { Status = "alive" }),
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadinessAsync,
        });
        return app;
    }

    static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var entry = report.Entries.Values.Single();
        var argoConfigured = context.RequestServices.GetRequiredService<IOptions<ArgoOptions>>().Value.IsConfigured;
        if (report.Status == HealthStatus.Unhealthy)
            return ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                new { Status = "unavailable", Database = "unreachable", ArgoConfigured = argoConfigured });

        var outbox = (OutboxBacklog)entry.Data["outbox"];
        return ApiErrors.WriteAsync(context, StatusCodes.Status200OK, new ReadinessBody(
            report.Status == HealthStatus.Healthy ? "ready" : "degraded", "ok", argoConfigured,
            new { outbox.Pending, outbox.Failed, outbox.OldestPendingAgeSeconds },
            new { ((WorkflowStatisticsSnapshot)entry.Data["workflows"]).Stuck },
            entry.Data.TryGetValue("read_replica", out var replica) ? (ReadReplicaStatus)replica : null));
    }

    /// <summary>The contract's readiness body; <c>read_replica</c> only when <c>ConnectionStrings:PurchasesRead</c> is set.</summary>
    sealed record ReadinessBody(string Status, string Database, bool ArgoConfigured, object Outbox, object Workflows,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReadReplicaStatus? ReadReplica);
}
