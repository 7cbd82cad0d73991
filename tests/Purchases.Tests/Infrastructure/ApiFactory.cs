using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Tests.Infrastructure;

/// <summary>The service in process, on the test run's real PostgreSQL, migrated once.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    readonly TestDatabase database = TestDatabase.Shared;

    public string ConnectionString => database.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{PersistenceRegistration.ConnectionStringName}", database.ConnectionString);
    }

    public async ValueTask InitializeAsync() => await Services.MigrateDatabaseAsync();

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public HttpClient ClientWith(string? authorization)
    {
        var client = CreateClient();
        if (authorization is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return client;
    }

    public HttpClient ClientFor(string token) => ClientWith($"Bearer {token}");

    public async Task<string> AddCustomerAsync(string user)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TokenAdministration>().AddCustomerAsync(user, CancellationToken.None);
    }

    public async Task<string> IssueTokenAsync(string role, string name)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TokenAdministration>()
            .IssueServiceTokenAsync(role, name, CancellationToken.None);
    }

    public async Task ResetAsync()
    {
        await using var command = DataSource.CreateCommand(
            "TRUNCATE outbox_entries, webhook_endpoints, purchase_rows, purchases, idempotency_keys, api_tokens, customers");
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        database.Dispose();
    }
}
