using Purchases.Infrastructure.LocalPostgres;

namespace Purchases.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL cluster for the whole test run, started from the same code as the embedded default.</summary>
public sealed class TestDatabase : IDisposable
{
    public const string DatabaseName = "purchases_test";

    public TestDatabase()
    {
        Cluster = LocalPostgresCluster.StartThrowaway();
        Cluster.EnsureDatabase(DatabaseName);
    }

    public LocalPostgresCluster Cluster { get; }
    public string ConnectionString => Cluster.ConnectionString(DatabaseName);

    public void Dispose() => Cluster.Dispose();
}
