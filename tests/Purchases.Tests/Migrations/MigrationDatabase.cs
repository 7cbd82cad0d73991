using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Purchases.Infrastructure.Persistence;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Migrations;

/// <summary>
/// A database of its own on the shared test cluster, migrated up to a named migration, so that a test can put rows
/// in the old schema and then run the migrations after it.
/// </summary>
public sealed class MigrationDatabase : IAsyncDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly PurchasesDbContext _context;

    MigrationDatabase(string connectionString)
    {
        DataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        _context = new PurchasesDbContext(new DbContextOptionsBuilder<PurchasesDbContext>()
            .UseNpgsql(connectionString, o => o.UseNodaTime()).UseSnakeCaseNamingConvention().Options);
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<MigrationDatabase> AtAsync(string migration)
    {
        var name = $"migration_{Guid.NewGuid():N}";
        TestDatabase.Shared.Cluster.EnsureDatabase(name);
        var database = new MigrationDatabase(TestDatabase.Shared.Cluster.ConnectionString(name));
        await database.MigrateAsync(migration);
        return database;
    }

    /// <summary>Up to <paramref name="migration"/>, or to the latest when null.</summary>
    public Task MigrateAsync(string? migration = null) => _context.GetService<IMigrator>().MigrateAsync(migration, Ct);

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public async Task<string?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }

    NpgsqlCommand Command(string sql, object[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
