using Purchases.Infrastructure.LocalPostgres;

namespace Purchases.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL cluster for the whole test run, started from the same code as the embedded default.</summary>
public sealed class TestDatabase : IDisposable
{
    public const string DatabaseName = "purchases_test";
    static readonly Lazy<TestDatabase> Instance = new(() => new TestDatabase());

    /// <summary>Shared by every service instance of the run; stopped by <see cref="ApiFactory"/> at the end.</summary>
    public static TestDatabase Shared => Instance.Value;

    TestDatabase()
    {
        Cluster = LocalPostgresCluster.StartThrowaway();
        Cluster.EnsureDatabase(DatabaseName);
    }

    public LocalPostgresCluster Cluster { get; }
    public string ConnectionString => Cluster.ConnectionString(DatabaseName);

    public void Dispose() => Cluster.Dispose();
}
