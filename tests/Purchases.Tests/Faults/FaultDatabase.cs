using Npgsql;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>A purchase as stored: its declared row count, the rows really there, and its outbox entries.</summary>
internal sealed record StoredPurchase(Guid Id, int RowsUploaded, long Rows, long OutboxEntries, string? OutboxState);

/// <summary>
/// The own throwaway PostgreSQL cluster of one fault test, migrated by the service's own <c>migrate</c> command, so
/// that stopping it (or the service on it) never disturbs the other tests and their shared database.
/// </summary>
internal sealed class FaultDatabase : IAsyncDisposable
{
    const string DatabaseName = "purchases_faults";

    FaultDatabase(LocalPostgresCluster cluster) => Cluster = cluster;

    public LocalPostgresCluster Cluster { get; }

    /// <summary>What the service is given.</summary>
    public string ConnectionString => Cluster.ConnectionString(DatabaseName);

    // The test's own queries go without a pool, so a server restart leaves no broken connection behind for them.
    string QueryConnectionString => ConnectionString + ";Pooling=false;Timeout=5;Command Timeout=20";

    public static async Task<FaultDatabase> StartAsync()
    {
        var cluster = await Task.Run(() => LocalPostgresCluster.StartThrowaway());
        try
        {
            cluster.EnsureDatabase(DatabaseName);
            var database = new FaultDatabase(cluster);
            var migrate = await CliProcess.RunAsync(database.ConnectionString, "migrate");
            if (migrate.ExitCode != 0)
                throw new InvalidOperationException($"migrate exited with {migrate.ExitCode}: {migrate.Stderr}");
            return database;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>A customer and its first token, through the CLI (<c>customers add</c>).</summary>
    public async Task<string> AddCustomerAsync(string user)
    {
        var result = await CliProcess.RunAsync(ConnectionString, "customers", "add", user);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"customers add {user} exited with {result.ExitCode}: {result.Stderr}");
        return result.Stdout.Trim();
    }

    /// <summary>A further token for an existing customer, through the CLI (<c>tokens issue</c>).</summary>
    public async Task<string> IssueTokenAsync(string user)
    {
        var result = await CliProcess.RunAsync(ConnectionString, "tokens", "issue", user);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"tokens issue {user} exited with {result.ExitCode}: {result.Stderr}");
        return result.Stdout.Trim();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(QueryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(QueryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(QueryConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>Every purchase with its row and outbox counts (the all-or-nothing check).</summary>
    public Task<List<StoredPurchase>> PurchasesAsync() => QueryAsync("""
        SELECT p.id, p.rows_uploaded,
               (SELECT count(*) FROM purchase_rows r WHERE r.purchase_id = p.id),
               (SELECT count(*) FROM outbox_entries o WHERE o.purchase_id = p.id),
               (SELECT min(o.state) FROM outbox_entries o WHERE o.purchase_id = p.id)
        FROM purchases p
        """, r => new StoredPurchase(r.GetGuid(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3),
        r.IsDBNull(4) ? null : r.GetString(4)));

    /// <summary>Polls until no outbox entry is pending any more (bounded), and answers the count per state.</summary>
    public async Task<Dictionary<string, long>> WaitUntilNoEntryIsPendingAsync(TimeSpan timeout)
    {
        var states = new Dictionary<string, long>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var poll = 0; poll < 1000 && waited.Elapsed < timeout; poll++)
        {
            states = (await QueryAsync("SELECT state, count(*) FROM outbox_entries GROUP BY state",
                r => (r.GetString(0), r.GetInt64(1)))).ToDictionary(x => x.Item1, x => x.Item2);
            if (states.GetValueOrDefault("pending") == 0) break;
            await Task.Delay(200);
        }
        return states;
    }

    public async ValueTask DisposeAsync() => await Task.Run(Cluster.Dispose);
}
