using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Faults;

/// <summary>
/// Issue 8, "nothing lost": SIGTERM (what Kubernetes sends on a rollout) while a year's submit is in flight. The
/// request still completes with 201 and every row is stored; then the process exits by itself, with code 0.
/// </summary>
public sealed class GracefulShutdownTests
{
    const string User = "yearly";
    static readonly TimeSpan ExitBudget = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 120_000)]
    public async Task Sigterm_during_a_year_submit_lets_it_finish_with_201_and_the_process_exits_0()
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
        using var client = service.CreateClient(token, TimeSpan.FromSeconds(60));
        // The connection is open before the submit starts, so the submit cannot be refused for being new.
        using (var alive = await client.GetAsync("/healthz", ct))
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        var body = Encoding.UTF8.GetBytes(Schedules.YearOf2025());
        // Half the body goes out, then the content waits: the request is certainly in flight when SIGTERM comes.
        using var content = new GatedContent(body, body.Length / 2).Json();
        var clock = Stopwatch.StartNew();
        var submit = client.PostAsync(Schedules.SubmitUrl(User, "123"), content, ct);
        await content.FirstPartSent.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var wait = TimeSpan.FromMilliseconds(150) - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);

        Assert.False(submit.IsCompleted, "the submit was not in flight when SIGTERM was to be sent");
        var sigtermAt = clock.Elapsed;
        service.StopGracefully();
        // The host has begun its shutdown while the request is still open (bounded wait on its own log line).
        var shuttingDown = false;
        for (var poll = 0; poll < 100 && !shuttingDown; poll++)
        {
            shuttingDown = service.Output.Contains("Application is shutting down", StringComparison.Ordinal);
            if (!shuttingDown) await Task.Delay(20, ct);
        }
        Assert.False(submit.IsCompleted, "the submit completed before the rest of its body was sent");
        var releasedAt = clock.Elapsed;
        content.Release();

        HttpResponseMessage response;
        try
        {
            response = await submit.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                $"the in-flight submit got no answer after SIGTERM: {e.GetType().Name}: {e.Message}\n{service.OutputTail()}");
        }
        var answeredAt = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync(ct);
        var exited = await service.WaitForExitAsync(ExitBudget);
        var exitedAt = clock.Elapsed;
        output?.WriteLine($"SIGTERM at {sigtermAt.TotalMilliseconds:0} ms (host shutting down: {shuttingDown}); rest of the body " +
                          $"from {releasedAt.TotalMilliseconds:0} ms; answered {(int)response.StatusCode} at {answeredAt.TotalMilliseconds:0} ms; " +
                          $"exited: {exited} at {exitedAt.TotalMilliseconds:0} ms, code {(exited ? service.ExitCode : null)}");

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}\n{service.OutputTail()}");
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(Schedules.QuarterHoursOf2025, json.GetProperty("rows_uploaded").GetInt32());
        var id = json.GetProperty("id").GetGuid();

        Assert.True(exited, $"the process did not exit within {ExitBudget.TotalSeconds}s of the answer\n{service.OutputTail()}");
        Assert.True(service.ExitCode == 0, $"exit code {service.ExitCode}\n{service.OutputTail()}");
        Assert.True(exitedAt - sigtermAt < ExitBudget, $"exited {(exitedAt - sigtermAt).TotalSeconds:0.0}s after SIGTERM");

        // Gone: new connections are refused.
        using (var probe = new TcpClient())
        {
            var refused = await Assert.ThrowsAsync<SocketException>(async () =>
                await probe.ConnectAsync(IPAddress.Loopback, service.Port, ct));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        var stored = Assert.Single(await database.PurchasesAsync());
        Assert.Equal(id, stored.Id);
        Assert.Equal(Schedules.QuarterHoursOf2025, stored.RowsUploaded);
        Assert.Equal(Schedules.QuarterHoursOf2025, stored.Rows);
        Assert.Equal(1, stored.OutboxEntries);
        // The repeated autumn hour is stored twice, at two instants an hour apart; the spring gap not at all.
        Assert.Equal(8L, await database.ScalarAsync<long>(
            "SELECT count(DISTINCT instant) FROM purchase_rows WHERE local_time >= '2025-10-26 02:00' AND local_time < '2025-10-26 03:00'"));
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM purchase_rows WHERE local_time >= '2025-03-30 02:00' AND local_time < '2025-03-30 03:00'"));
    }

    /// <summary>A fixed body sent in two parts: the second only once <see cref="Release"/> is called (bounded wait).</summary>
    sealed class GatedContent(byte[] body, int split) : HttpContent
    {
        readonly TaskCompletionSource firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstPartSent => firstPartSent.Task;

        public GatedContent Json()
        {
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return this;
        }

        public void Release() => released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, split));
            await stream.FlushAsync();
            firstPartSent.TrySetResult();
            await released.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await stream.WriteAsync(body.AsMemory(split));
            await stream.FlushAsync();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
