using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// Issue 8, "nothing lost, nothing let in": PostgreSQL goes away for seconds under a load of submits and reads. The
/// service answers 503 with Retry-After (never a 500, never a dropped connection), says so on /readyz, and comes back
/// by itself once the database is up again on the same port; every purchase it answered 201 is whole.
/// </summary>
public sealed class DatabaseOutageTests
{
    const string User = "outage";
    const string UnavailableBody = """{"error":"Service temporarily unavailable, please retry."}""";
    static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);
    // Generous for a loaded CI machine: what is asserted is recovery without a restart, not its speed.
    static readonly TimeSpan RecoveryBudget = TimeSpan.FromSeconds(10);

    sealed record Outcome(TimeSpan At, TimeSpan End, string Kind, int Status, string Body, TimeSpan? RetryAfter, Guid? Id);

    [Fact(Timeout = 120_000)]
    public async Task A_database_outage_gives_only_503s_with_retry_after_and_the_service_recovers_by_itself()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var database = await FaultDatabase.StartAsync();
        var token = await database.AddCustomerAsync(User);
        await using var argo = await FakeArgo.StartAsync();
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Argo:BaseUrl"] = argo.BaseUrl.ToString(),
            ["Argo:Timeout"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["RateLimiting:Enabled"] = "false",
        }, ct: ct);
        using var client = service.CreateClient(token, TimeSpan.FromSeconds(20));
        using var anonymous = service.CreateClient(timeout: TimeSpan.FromSeconds(20));

        var seeded = await client.PostAsync(Schedules.SubmitUrl(User, "seed"), Schedules.Json(Schedules.OneDay(0)), ct);
        Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);
        var seedId = JsonDocument.Parse(await seeded.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid();

        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentQueue<Outcome>();
        var dropped = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        async Task LoopAsync(string kind, Func<int, Task<HttpResponseMessage>> send, TimeSpan pause)
        {
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await send(i);
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    Guid? id = response.StatusCode == HttpStatusCode.Created
                        ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid()
                        : null;
                    outcomes.Enqueue(new Outcome(started, clock.Elapsed, kind, (int)response.StatusCode, body, response.Headers.RetryAfter?.Delta, id));
                    if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
                        await Task.Delay(100, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    dropped.Enqueue($"{started.TotalSeconds:0.00}s {kind}: {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
                    await Task.Delay(100, CancellationToken.None);
                }
                await Task.Delay(pause, CancellationToken.None);
            }
        }

        var loops = new List<Task>();
        for (var n = 0; n < 4; n++)
        {
            var loop = n;
            loops.Add(Task.Run(() => LoopAsync("submit", i => client.PostAsync(Schedules.SubmitUrl(User, $"r{loop}"),
                Schedules.Json(Schedules.OneDay(loop * 10_000 + i)), CancellationToken.None), TimeSpan.FromMilliseconds(20)), ct));
        }
        for (var n = 0; n < 2; n++)
            loops.Add(Task.Run(() => LoopAsync("get", _ => client.GetAsync($"/api/v0/user/{User}/purchase/{seedId}/get",
                CancellationToken.None), TimeSpan.FromMilliseconds(20)), ct));
        loops.Add(Task.Run(() => LoopAsync("readyz", _ => anonymous.GetAsync("/readyz", CancellationToken.None),
            TimeSpan.FromMilliseconds(200)), ct));

        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var stopping = clock.Elapsed;
        await Task.Run(database.Cluster.Stop, ct);
        var down = clock.Elapsed;
        await Task.Delay(Outage, ct);
        var starting = clock.Elapsed;
        await Task.Run(database.Cluster.StartAgain, ct);
        var up = clock.Elapsed;

        // The loops go on until a submit succeeds again (bounded), then a little longer.
        TimeSpan? recovered = null;
        for (var poll = 0; poll < 300 && clock.Elapsed - up < TimeSpan.FromSeconds(15); poll++)
        {
            recovered = outcomes.Where(o => o.Kind == "submit" && o.Status == 201 && o.At >= up).Select(o => (TimeSpan?)o.At).Min();
            if (recovered is not null) break;
            await Task.Delay(50, ct);
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        stop.Cancel();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30), ct);

        var all = outcomes.OrderBy(o => o.At).ToList();
        output?.WriteLine($"stop {stopping.TotalSeconds:0.00}s → down {down.TotalSeconds:0.00}s; start {starting.TotalSeconds:0.00}s → " +
                          $"up {up.TotalSeconds:0.00}s; first 201 after it at {recovered?.TotalSeconds:0.00}s");
        foreach (var group in all.GroupBy(o => (o.Kind, o.Status)))
            output?.WriteLine($"{group.Key.Kind} {group.Key.Status}: {group.Count()} " +
                              $"({group.Min(o => o.At).TotalSeconds:0.00}s – {group.Max(o => o.At).TotalSeconds:0.00}s)");
        var log = $"\nservice output:\n{service.OutputTail(8000)}";

        Assert.True(dropped.IsEmpty, $"{dropped.Count} requests got no HTTP answer:\n{string.Join("\n", dropped.Take(15))}{log}");
        var wrong = all.Where(o => o.Status is not (200 or 201 or 503)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} answers other than 200/201/503:\n" +
                                      string.Join("\n", wrong.Take(15).Select(o => $"{o.At.TotalSeconds:0.00}s {o.Kind} {o.Status} {o.Body}")) + log);
        var badUnavailable = all.Where(o => o.Status == 503 && o.Kind != "readyz" && (o.Body != UnavailableBody || !(o.RetryAfter > TimeSpan.Zero))).ToList();
        Assert.True(badUnavailable.Count == 0, "503s without Retry-After or the contract's body:\n" +
                                               string.Join("\n", badUnavailable.Take(10).Select(o => $"{o.Kind} {o.RetryAfter} {o.Body}")));

        // While the database was up, nothing but success; then the outage was seen: submits and reads answered 503 while the server was down.
        var early = all.Where(o => o.Status == 503 && o.End < stopping).ToList();
        Assert.True(early.Count == 0, "503s answered before the database was stopped:\n" + string.Join("\n", early.Take(10)) + log);
        Assert.Contains(all, o => o.Kind == "submit" && o.Status == 503 && o.At >= down && o.At < starting);
        Assert.Contains(all, o => o.Kind == "get" && o.Status == 503 && o.At >= down && o.At < starting);
        var readyDown = all.Where(o => o.Kind == "readyz" && o.At >= down && o.At < starting).ToList();
        Assert.NotEmpty(readyDown);
        Assert.All(readyDown, o => Assert.Equal(503, o.Status));
        Assert.Equal("unreachable", JsonDocument.Parse(readyDown[0].Body).RootElement.GetProperty("database").GetString());

        // Back by itself, without a restart.
        Assert.True(recovered is not null && recovered.Value - up <= RecoveryBudget,
            $"no submit succeeded within {RecoveryBudget.TotalSeconds}s of the database being up again (first at {recovered})" + log);
        using (var after = await client.PostAsync(Schedules.SubmitUrl(User, "after"), Schedules.Json(Schedules.OneDay(99)), ct))
            Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        using (var ready = await anonymous.GetAsync("/readyz", ct))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(all, o => o.Kind == "readyz" && o.Status == 200 && o.At >= up);
        Assert.False(service.HasExited);

        // Every 201 is whole; nothing is stored in part.
        var stored = (await database.PurchasesAsync()).ToDictionary(p => p.Id);
        var answered = all.Where(o => o.Id is not null).Select(o => o.Id!.Value).Append(seedId).ToList();
        Assert.All(answered, id => Assert.True(stored.ContainsKey(id), $"purchase {id} was answered 201 but is not stored"));
        var incomplete = stored.Values.Where(p => p.RowsUploaded != 96 || p.Rows != 96 || p.OutboxEntries != 1).ToList();
        Assert.True(incomplete.Count == 0, "purchases stored only in part:\n" + string.Join("\n", incomplete.Take(10)));
        output?.WriteLine($"stored {stored.Count} purchases, {answered.Count} answered 201 (+1 after)");
    }
}
