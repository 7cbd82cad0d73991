using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// Issue 8, "nothing lost": the process is SIGKILLed while eight clients keep submitting. Whatever was answered 201
/// is stored whole, nothing is stored half, and after a restart every purchase reaches Argo exactly once.
/// </summary>
public sealed class KillDuringLoadTests
{
    const string User = "steady";
    const int Loops = 8;
    static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(2);

    [Fact(Timeout = 120_000)]
    public async Task Every_201_survives_a_kill_9_mid_load_whole_and_gets_exactly_one_workflow_after_restart()
    {
        var output = TestContext.Current.TestOutputHelper;
        await using var database = await FaultDatabase.StartAsync();
        var token = await database.AddCustomerAsync(User);
        await using var argo = await FakeArgo.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Argo:BaseUrl"] = argo.BaseUrl.ToString(),
            ["Argo:Timeout"] = "00:00:01",
            // Entries leased by the killed process come free after this; the default minute would only slow the test.
            ["Outbox:Lease"] = "00:00:02",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["RateLimiting:Enabled"] = "false",
        };

        var created = new ConcurrentBag<Guid>();
        var otherAnswers = new ConcurrentBag<string>();
        var unanswered = new ConcurrentBag<string>(); // reached the server (or may have), no answer: outcome unknown
        var refused = 0;                              // never reached it: connection refused after the kill
        var inFlight = 0;
        int inFlightAtKill;
        var first = await ServiceProcess.StartAsync(database.ConnectionString, settings, ct: TestContext.Current.CancellationToken);
        await using (first)
        {
            using var stop = new CancellationTokenSource();
            using var client = first.CreateClient(token, TimeSpan.FromSeconds(20));
            var loops = Enumerable.Range(0, Loops).Select(loop => Task.Run(async () =>
            {
                for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
                {
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        using var response = await client.PostAsync(Schedules.SubmitUrl(User, $"r{loop}"),
                            Schedules.Json(Schedules.OneDay(loop * 10_000 + i)), CancellationToken.None);
                        var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                        if (response.StatusCode == HttpStatusCode.Created)
                            created.Add(JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid());
                        else
                            otherAnswers.Add($"{(int)response.StatusCode} {text}");
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        if (IsConnectionRefused(e)) Interlocked.Increment(ref refused);
                        else unanswered.Add(e.GetType().Name + ": " + e.Message);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }
            })).ToArray();

            await Task.Delay(LoadBeforeKill, TestContext.Current.CancellationToken);
            inFlightAtKill = Volatile.Read(ref inFlight);
            var answeredBeforeKill = created.Count;
            first.KillHard();
            stop.Cancel();
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the killed process did not exit");
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            output?.WriteLine($"before the kill: {answeredBeforeKill} answered 201, {inFlightAtKill} requests in flight; " +
                              $"exit code {first.ExitCode}");
        }

        output?.WriteLine($"201: {created.Count}, other answers: {otherAnswers.Count}, no answer: {unanswered.Count}, " +
                          $"refused after the kill: {refused}");
        Assert.True(inFlightAtKill > 0, "no request was in flight at the kill: the test proved nothing");
        Assert.True(created.Count > 0, "no submit was answered 201 before the kill");
        Assert.True(otherAnswers.IsEmpty, "answers other than 201 under load:\n" + string.Join("\n", otherAnswers.Take(20)));
        Assert.Equal(created.Count, created.Distinct().Count());

        // Restart on the same database, Argo configured as before.
        await using var second = await ServiceProcess.StartAsync(database.ConnectionString, settings, ct: TestContext.Current.CancellationToken);

        var stored = (await database.PurchasesAsync()).ToDictionary(p => p.Id);
        var missing = created.Where(id => !stored.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} purchases answered 201 are not stored: {string.Join(", ", missing.Take(10))}");
        var incomplete = stored.Values.Where(p => p.RowsUploaded != 96 || p.Rows != 96 || p.OutboxEntries != 1).ToList();
        Assert.True(incomplete.Count == 0, "purchases stored only in part (all-or-nothing broken):\n" +
                                           string.Join("\n", incomplete.Take(10)));
        // Nothing let in either: a stored purchase was answered 201 or its request got no answer (committed, then killed).
        Assert.True(stored.Count <= created.Count + unanswered.Count,
            $"{stored.Count} purchases stored, but only {created.Count} answered 201 and {unanswered.Count} unanswered");
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM purchase_rows r WHERE NOT EXISTS (SELECT 1 FROM purchases p WHERE p.id = r.purchase_id)"));

        var states = await database.WaitUntilNoEntryIsPendingAsync(TimeSpan.FromSeconds(30));
        Assert.True(states.GetValueOrDefault("pending") == 0 && states.GetValueOrDefault("failed") == 0,
            $"outbox entries by state after the restart: {string.Join(", ", states)}\n{second.OutputTail()}");
        Assert.Equal(stored.Count, (int)states.GetValueOrDefault("submitted"));

        var names = await database.QueryAsync("SELECT workflow_name FROM outbox_entries", r => r.GetString(0));
        var createdNames = argo.CreatedNames;
        output?.WriteLine($"stored: {stored.Count}, workflows created: {createdNames.Count} ({argo.CreateCalls} create calls)");
        Assert.Equal(createdNames.Count, createdNames.Distinct().Count());
        Assert.Equal(stored.Count, createdNames.Count);
        Assert.Equal(names.Order(), createdNames.Order());
    }

    static bool IsConnectionRefused(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                return true;
        return false;
    }
}
