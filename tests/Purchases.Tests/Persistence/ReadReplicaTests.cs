using System.Net;
using System.Text.Json;
using Npgsql;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Tests.Faults;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Persistence;

/// <summary>
/// The service process with <c>ConnectionStrings:PurchasesRead</c> on a streaming replica of its database (the primary
/// listed after it, <c>Target Session Attributes=prefer-standby</c>): get, rows and the list read the replica; a
/// purchase the replica has not replayed yet is still found, on the primary; a replica that is down costs nothing.
/// </summary>
public sealed class ReadReplicaTests
{
    const string User = "trebolenergia";
    const string Completed = """{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}""";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 240_000)]
    public async Task Reads_come_from_the_replica_and_what_it_has_not_replayed_yet_is_found_on_the_primary()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var primary = await FaultDatabase.StartAsync();
        var customer = await primary.AddCustomerAsync(User);
        var worker = (await CliProcess.RunAsync(primary.ConnectionString, "tokens", "issue", "argo", "--role", "worker")).Stdout.Trim();
        using var replica = await Task.Run(() => LocalPostgresCluster.StartThrowawayStandbyOf(primary.Cluster), ct);
        var onReplica = replica.ConnectionString("purchases_faults") + ";Pooling=false";
        await using var service = await ServiceProcess.StartAsync(primary.ConnectionString, new Dictionary<string, string>
        {
            ["ConnectionStrings:PurchasesRead"] = $"Host=127.0.0.1:{replica.Port},127.0.0.1:{primary.Cluster.Port};" +
                                                  "Username=postgres;Database=purchases_faults;Target Session Attributes=prefer-standby",
        }, ct: ct);
        using var client = service.CreateClient(customer);
        using var argo = service.CreateClient(worker);

        var replayed = await client.SubmitAsync(User);
        await WaitUntilOnReplicaAsync(onReplica, replayed);
        await ExecuteAsync(onReplica, "SELECT pg_wal_replay_pause()");
        var notYet = await client.SubmitAsync(User);
        Assert.Equal(HttpStatusCode.OK, (await argo.UpdateAsync(User, replayed, Completed)).StatusCode);

        Assert.True(await ReadinessShowsAsync(service, "standby", lag => lag > 0), "readiness never showed the replay behind");
        // The replica answers: the list lacks the newest purchase and get shows the older one as it was ...
        Assert.Equal([replayed], await ListedAsync(client));
        Assert.Equal("pending", await StatusAsync(client, replayed));
        // ... and a purchase it lacks is found on the primary, rows and all; an unknown one is still 404.
        Assert.Equal("pending", await StatusAsync(client, notYet));
        var rows = await client.GetAsync($"/api/v0/user/{User}/purchase/{notYet}/rows", Ct);
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await rows.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetPurchaseAsync(User, Guid.CreateVersion7())).StatusCode);

        await ExecuteAsync(onReplica, "SELECT pg_wal_replay_resume()");
        await WaitUntilOnReplicaAsync(onReplica, notYet);
        Assert.Equal([notYet, replayed], await ListedAsync(client));
        Assert.Equal("completed", await StatusAsync(client, replayed));
        Assert.True(await ReadinessShowsAsync(service, "standby", lag => lag == 0), "readiness never showed the replay caught up");

        // The replica down: the primary, listed after it, answers.
        await Task.Run(replica.Stop, Ct);
        Assert.Equal("completed", await StatusAsync(client, replayed));
        Assert.Equal([notYet, replayed], await ListedAsync(client));
        Assert.True(await ReadinessShowsAsync(service, "primary", lag => lag is null), "readiness never showed the primary");
    }

    /// <summary>Polls <c>/readyz</c> (ready in every case: reads fall back) until its <c>read_replica</c> matches.</summary>
    static async Task<bool> ReadinessShowsAsync(ServiceProcess service, string state, Func<double?, bool> lag)
    {
        using var client = service.CreateClient();
        for (var i = 0; i < 50; i++)
        {
            var response = await client.GetAsync("/readyz", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var replica = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("read_replica");
            var seconds = replica.GetProperty("lag_seconds") is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : (double?)null;
            if (replica.GetProperty("state").GetString() == state && lag(seconds)) return true;
            await Task.Delay(100, Ct);
        }
        return false;
    }

    static async Task<string?> StatusAsync(HttpClient client, Guid id)
    {
        var response = await client.GetPurchaseAsync(User, id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString();
    }

    static async Task<Guid[]> ListedAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/v0/user/{User}/purchases", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("items")
            .EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
    }

    static async Task WaitUntilOnReplicaAsync(string onReplica, Guid id)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var connection = new NpgsqlConnection(onReplica);
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM purchases WHERE id = $1", connection)
                { Parameters = { new() { Value = id } } };
            if ((long)(await command.ExecuteScalarAsync(Ct))! == 1) return;
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"purchase {id} did not reach the replica");
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
