using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Purchases.Infrastructure.Persistence;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// After a slow count of the readiness figures the probe answers with the last ones for a while without counting
/// again: a ping still asks the database, so an outage shows on the very next probe.
/// </summary>
public sealed class ReadinessOutageTests(ApiFactory api)
{
    [Fact(Timeout = 120_000)]
    public async Task Readyz_is_503_while_the_database_is_down_between_two_slow_counts_and_200_once_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FaultDatabase.StartAsync();
        await using var service = api.WithWebHostBuilder(builder =>
            builder.UseSetting($"ConnectionStrings:{PersistenceRegistration.ConnectionStringName}", database.ConnectionString));
        using var client = service.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", ct)).StatusCode);

        // A count held up for two seconds: the next one waits twenty.
        await using (var blocker = new NpgsqlConnection(database.ConnectionString + ";Pooling=false"))
        {
            await blocker.OpenAsync(ct);
            await using var transaction = await blocker.BeginTransactionAsync(ct);
            await new NpgsqlCommand("LOCK TABLE outbox_entries IN ACCESS EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync(ct);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", ct)).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);

        await Task.Run(database.Cluster.Stop, ct);
        var down = await client.GetAsync("/readyz", ct);
        await Task.Run(database.Cluster.StartAgain, ct);
        var up = await client.GetAsync("/readyz", ct);
        for (var tries = 0; tries < 50 && up.StatusCode != HttpStatusCode.OK; tries++) // the pool's broken connections
        {
            await Task.Delay(100, ct);
            up = await client.GetAsync("/readyz", ct);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var body = JsonDocument.Parse(await down.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(("unavailable", "unreachable"), (body.GetProperty("status").GetString(), body.GetProperty("database").GetString()));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }
}
