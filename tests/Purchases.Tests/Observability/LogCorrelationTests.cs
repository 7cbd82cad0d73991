using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Purchases.Tests.Faults;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Observability;

/// <summary>
/// Logs as Production writes them (JSON, scopes included): a line the drain logs about a purchase carries that
/// purchase's trace id, so the operator goes from the log line to the trace and back.
/// </summary>
public sealed class LogCorrelationTests
{
    [Fact(Timeout = 120_000)]
    public async Task The_drains_warning_about_a_purchase_carries_the_purchases_trace_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FaultDatabase.StartAsync();
        var token = await database.AddCustomerAsync("logged");
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Argo:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/",
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["RateLimiting:Enabled"] = "false",
        }, ct: ct);
        using var client = service.CreateClient(token);

        using var submitted = await client.PostAsync(Schedules.SubmitUrl("logged", "r1"), Schedules.Json(Schedules.OneDay(1)), ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid();
        var traceId = (await database.ScalarAsync<string>("SELECT trace_parent FROM outbox_entries WHERE purchase_id = $1", id)).Split('-')[1];

        // "Outbox entry … attempt 1 failed (…)": Argo's port is closed.
        JsonElement? warning = null;
        for (var i = 0; i < 100 && warning is null; i++)
        {
            await Task.Delay(100, ct);
            warning = service.Output.Split('\n').Where(l => l.TrimStart().StartsWith('{'))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(e => e.GetProperty("Category").GetString() == "Purchases.Infrastructure.Outbox.OutboxDrainer"
                            && e.GetProperty("Message").GetString()!.Contains("attempt 1 failed"))
                .Select(e => (JsonElement?)e).FirstOrDefault();
        }

        Assert.True(warning is not null, service.OutputTail());
        var scopes = warning.Value.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && t.GetString() == traceId);
        Assert.Contains(scopes, s => s.TryGetProperty("SpanId", out _));
        Assert.DoesNotContain(token, service.Output);
    }

    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
