using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using Purchases.Infrastructure.Observability;

namespace Purchases.Infrastructure.Persistence;

/// <summary>The service's connections to PostgreSQL, with NodaTime types.</summary>
public static class PurchasesDataSource
{
    public const string ListenerKey = "listener";

    /// <summary>
    /// The pool every request and job uses. Unless the connection string says otherwise, connections go back to the
    /// pool without <c>DISCARD ALL</c> and keep their prepared statements: the service leaves no session state on a
    /// pooled connection (the one <c>LISTEN</c> has a connection of its own, see <see cref="Unpooled"/>), and the
    /// benchmarks measured the pair at half the CPU per get-purchase.
    /// </summary>
    public static NpgsqlDataSource Pooled(string connectionString, string name = "purchases")
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "No Reset On Close")) builder.ConnectionStringBuilder.NoResetOnClose = true;
        if (!Sets(given, "Max Auto Prepare")) builder.ConnectionStringBuilder.MaxAutoPrepare = 20;
        // A span per statement only inside a recorded span: a request's (a read that was not sampled makes none) or
        // one of our internal ones; not for the jobs' own bookkeeping (the drain's claims, the cleanups), which would
        // each be a trace of its own, nor inside one of our client spans, which already describes its statements (a
        // submit's purchase.store: Npgsql's batch and COPY spans were most of what tracing a submit allocated).
        // Without the "first response" event, one more allocation per statement.
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => InRecordedTrace())
            .ConfigureBatchFilter(_ => InRecordedTrace())
            .ConfigureCopyOperationFilter(_ => InRecordedTrace())
            .EnableFirstResponseEvent(false));
        return builder.UseNodaTime().Build();
    }

    /// <summary>Connections that are closed for real when disposed, for session state such as <c>LISTEN</c>.</summary>
    public static NpgsqlDataSource Unpooled(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "purchases-listener" };
        builder.ConnectionStringBuilder.Pooling = false;
        return builder.Build();
    }

    static bool InRecordedTrace() =>
        Activity.Current is { Recorded: true } current && !PurchasesTelemetry.IsOwnClientSpan(current);

    static bool Sets(DbConnectionStringBuilder given, string keyword) =>
        given.Keys.Cast<string>().Any(key =>
            string.Equals(key.Replace(" ", ""), keyword.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
}
