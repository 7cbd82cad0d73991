using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// Issue 8, "nothing lost": Argo refuses connections (nothing listens on its port). Submits still succeed; their
/// outbox entries record the failed attempts and back off; once Argo comes up on that port every entry goes out,
/// exactly one workflow each.
/// </summary>
public sealed class ArgoOutageTests
{
    const string User = "patient";
    const int Purchases = 6;

    sealed record Entry(Guid PurchaseId, string State, int Attempts, string? LastError, bool DueInTheFuture,
        double DelayMilliseconds);

    static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(1);
    const int AttemptsWhileDown = 3;

    [Fact(Timeout = 120_000)]
    public async Task Entries_back_off_while_argo_refuses_connections_and_each_goes_out_exactly_once_when_it_is_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var database = await FaultDatabase.StartAsync();
        var token = await database.AddCustomerAsync(User);
        var argoPort = ClosedPort();
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Argo:BaseUrl"] = $"http://127.0.0.1:{argoPort}/",
            ["Argo:Timeout"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Outbox:BackoffBase"] = BackoffBase.ToString("c"),
            ["Outbox:BackoffCap"] = BackoffCap.ToString("c"),
            // Enough attempts that the entries are still pending however long Argo stays down in this test.
            ["Outbox:MaxAttempts"] = "100",
            ["RateLimiting:Enabled"] = "false",
        }, ct: ct);
        using var client = service.CreateClient(token);

        var ids = new List<Guid>();
        for (var i = 0; i < Purchases; i++)
        {
            using var response = await client.PostAsync(Schedules.SubmitUrl(User, $"r{i}"), Schedules.Json(Schedules.OneDay(i)), ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid());
        }

        // Argo stays down until every entry has failed a few times (bounded), so the backoff has grown to its cap.
        List<Entry> entries = [];
        var sawDueInTheFuture = false;
        var waited = Stopwatch.StartNew();
        for (var poll = 0; poll < 400 && waited.Elapsed < TimeSpan.FromSeconds(15); poll++)
        {
            entries = await database.QueryAsync("""
                SELECT purchase_id, state, attempts, last_error, next_attempt_at > now(),
                       extract(epoch FROM next_attempt_at - updated_at)::float8 * 1000
                FROM outbox_entries
                """, r => new Entry(r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetBoolean(4), r.GetDouble(5)));
            sawDueInTheFuture |= entries.Any(e => e.Attempts >= 1 && e.DueInTheFuture);
            if (entries.Count == Purchases && entries.All(e => e.Attempts >= AttemptsWhileDown) && sawDueInTheFuture) break;
            await Task.Delay(50, ct);
        }
        var downFor = waited.Elapsed;
        foreach (var e in entries) output?.WriteLine($"while Argo is down ({downFor.TotalSeconds:0.0}s): {e}");

        Assert.Equal(ids.Order(), entries.Select(e => e.PurchaseId).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal("pending", e.State);
            Assert.True(e.Attempts >= AttemptsWhileDown, $"fewer than {AttemptsWhileDown} failed attempts recorded: {e}");
            Assert.Contains("connection failed", e.LastError ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.Contains("refused", e.LastError ?? "", StringComparison.OrdinalIgnoreCase);
            // The backoff after the n-th failure: uniform in [d/2, d], d = min(cap, base · 2^n).
            var d = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, e.Attempts));
            Assert.InRange(e.DelayMilliseconds, d / 2 - 1, d + 1);
        });
        Assert.True(sawDueInTheFuture, "no failed entry was ever seen waiting for a later attempt");

        // Argo comes up on exactly that port.
        await using var argo = await FakeArgo.StartAsync(argoPort);
        var states = await database.WaitUntilNoEntryIsPendingAsync(TimeSpan.FromSeconds(20));
        var after = await database.QueryAsync("SELECT state, attempts, workflow_name FROM outbox_entries",
            r => (State: r.GetString(0), Attempts: r.GetInt32(1), Name: r.GetString(2)));
        output?.WriteLine($"after Argo came up: {string.Join(", ", states)}; attempts {string.Join(",", after.Select(a => a.Attempts))}; " +
                          $"{argo.CreateCalls} create calls");

        Assert.True(after.All(a => a.State == "submitted"),
            $"entries by state: {string.Join(", ", states)}\n{service.OutputTail()}");
        Assert.Equal(Purchases, after.Count);
        Assert.Equal(argo.CreatedNames.Count, argo.CreatedNames.Distinct().Count());
        Assert.Equal(after.Select(a => a.Name).Order(), argo.CreatedNames.Order());
        Assert.Equal(ids.Select(id => $"purchase-{id}").Order(), argo.CreatedNames.Order());
    }

    /// <summary>A loopback port where nothing listens (connections are refused) until the fake Argo takes it.</summary>
    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
