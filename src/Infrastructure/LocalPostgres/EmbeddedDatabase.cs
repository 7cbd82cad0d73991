namespace Purchases.Infrastructure.LocalPostgres;

/// <summary>The Development default: a local cluster for this checkout, so the first run is one command.</summary>
public sealed class EmbeddedDatabase(LocalPostgresCluster cluster)
{
    public const string DatabaseName = "purchases";

    public string ConnectionString => cluster.ConnectionString(DatabaseName);
    public string Directory => cluster.Directory;

    public static EmbeddedDatabase Start(string contentRoot)
    {
        var cluster = LocalPostgresCluster.StartPersistent(LocalPostgresCluster.DefaultDirectoryFor(contentRoot));
        cluster.EnsureDatabase(DatabaseName);
        return new EmbeddedDatabase(cluster);
    }

    /// <summary>Stops the server if this process started it (a CLI command leaves a running service's server alone).</summary>
    public void Stop() => cluster.Stop();
}

internal sealed class EmbeddedDatabaseLifetime(EmbeddedDatabase database, ILogger<EmbeddedDatabaseLifetime> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        logger.LogInformation("Using the embedded PostgreSQL cluster in {Directory}", database.Directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        database.Stop();
        return Task.CompletedTask;
    }
}
