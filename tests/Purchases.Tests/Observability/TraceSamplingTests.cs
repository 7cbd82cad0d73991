using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Purchases.Tests.Faults;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Observability;

/// <summary>
/// <c>Tracing:ReadSampleRatio</c> at 0, in a service process of its own (samplers are process-wide: another test's
/// service would record the same requests): what it exports over OTLP holds the submit's trace and its Argo create,
/// and not one of the reads.
/// </summary>
public sealed class TraceSamplingTests
{
    [Fact(Timeout = 120_000)]
    public async Task Reads_are_not_exported_writes_and_their_argo_create_are()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sink = await OtlpSink.StartAsync(ct);
        await using var database = await FaultDatabase.StartAsync();
        var token = await database.AddCustomerAsync("sampled");
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["Tracing:ReadSampleRatio"] = "0",
            ["Argo:BaseUrl"] = $"{sink.BaseUrl}/argo/",  // answers 404: the drain's attempt fails, its span is made
            ["RateLimiting:Enabled"] = "false",
        }, ct: ct);
        using var client = service.CreateClient(token);
        // As a retailer's client without tracing: the test process's own instrumentation would send a sampled
        // traceparent (which the service follows, as it should).
        using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();

        using var submitted = await client.PostAsync(Schedules.SubmitUrl("sampled", "r1"), Schedules.Json(Schedules.OneDay(1)), ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v0/user/sampled/purchase/{id}/get", ct)).StatusCode);

        // Protobuf keeps strings as UTF-8 bytes: the span names are in the exported bodies as they are.
        string exported = "";
        for (var i = 0; i < 100 && !(exported.Contains("submit-purchase") && exported.Contains("argo.workflow.create")); i++)
        {
            await Task.Delay(100, ct);
            exported = sink.Traces;
        }
        Assert.Contains("POST /api/v0/user/{user}/submit-purchase", exported);
        Assert.Contains("argo.workflow.create", exported);
        await Task.Delay(500, ct);  // a few more export rounds, in which a read's span would have come
        Assert.DoesNotContain("purchase/{purchase_id}/get", sink.Traces);
    }

    /// <summary>An OTLP/HTTP receiver that keeps the trace export bodies.</summary>
    sealed class OtlpSink : IAsyncDisposable
    {
        readonly ConcurrentQueue<byte[]> traces = new();
        WebApplication? app;

        public string BaseUrl { get; private set; } = "";

        public string Traces => string.Join("\n", traces.Select(b => Encoding.UTF8.GetString(b)));

        public static async Task<OtlpSink> StartAsync(CancellationToken ct)
        {
            var sink = new OtlpSink();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            sink.app = builder.Build();
            sink.app.MapPost("/v1/{signal}", async (HttpContext http, string signal) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body, http.RequestAborted);
                if (signal == "traces") sink.traces.Enqueue(body.ToArray());
                http.Response.ContentType = "application/x-protobuf";
            });
            await sink.app.StartAsync(ct);
            sink.BaseUrl = sink.app.Urls.First();
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            if (app is not null) await app.DisposeAsync();
        }
    }
}
