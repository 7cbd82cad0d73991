using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Purchases.Bench;

/// <summary>
/// An Argo server that answers at once: create → 200 with the workflow (uid added), 409 AlreadyExists when the name
/// exists; GET by name → the workflow, or 404; list by <c>purchases/purchase-id in (…)</c> → those workflows. Records
/// when each workflow first arrived, keyed by its <c>purchases/purchase-id</c> label (or its name), for the
/// commit→Argo latency. Every workflow answers with the phase last set by <c>/_bench/phase</c> ("" at first).
/// Bench-only routes: <c>GET /_bench/count</c> (created, conflicts, gets, lists, listed), <c>GET /_bench/received</c>
/// (lines "key\tunix_ms"), <c>POST /_bench/phase?phase=P&amp;message=M</c>, <c>POST /_bench/seed</c> (purchase ids, one
/// a line: their workflows exist from now on), <c>POST /_bench/reset-counts</c>. Argo's watch
/// (<c>GET /api/v1/workflow-events/{ns}</c>, server-sent events) reports every workflow as MODIFIED on each
/// <c>/_bench/phase</c>.
/// </summary>
public static class FakeArgo
{
    public static async Task<int> RunAsync(Args args)
    {
        var port = args.Int("port", 0);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();

        var workflows = new ConcurrentDictionary<string, byte[]>();
        var received = new ConcurrentQueue<(string Key, double At)>();
        var conflicts = 0;
        long gets = 0, lists = 0, listed = 0;
        var phase = new JsonObject { ["phase"] = "" };
        var watchers = new ConcurrentDictionary<System.Threading.Channels.Channel<string>, byte>();
        long watchEvents = 0, version = 1;
        byte[] WithStatus(byte[] workflow)
        {
            var node = JsonNode.Parse(workflow)!.AsObject();
            node["status"] = Volatile.Read(ref phase).DeepClone();
            return JsonSerializer.SerializeToUtf8Bytes(node);
        }

        app.MapPost("/api/v1/workflows/{ns}", async (HttpContext ctx, string ns) =>
        {
            var at = Clock.UnixMs();
            var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            if (body?["workflow"] is not JsonObject workflow || workflow["metadata"] is not JsonObject metadata ||
                metadata["name"]?.GetValue<string>() is not { Length: > 0 } name)
            {
                await Error(ctx, 400, 3, "workflow.metadata.name is required");
                return;
            }
            metadata["namespace"] = ns;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(workflow);
            if (!workflows.TryAdd(name, bytes))
            {
                Interlocked.Increment(ref conflicts);
                await Error(ctx, 409, 6, $"workflows.argoproj.io \"{name}\" already exists");
                return;
            }
            var key = (metadata["labels"] as JsonObject)?["purchases/purchase-id"]?.GetValue<string>() ?? name;
            received.Enqueue((key, at));
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        });

        app.MapGet("/api/v1/workflows/{ns}/{name}", async (HttpContext ctx, string ns, string name) =>
        {
            Interlocked.Increment(ref gets);
            if (!workflows.TryGetValue(name, out var bytes))
            {
                await Error(ctx, 404, 5, $"workflows.argoproj.io \"{name}\" not found");
                return;
            }
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(WithStatus(bytes), ctx.RequestAborted);
        });

        app.MapGet("/api/v1/workflows/{ns}", async (HttpContext ctx, string ns) =>
        {
            Interlocked.Increment(ref lists);
            var selector = ctx.Request.Query["listOptions.labelSelector"].ToString();
            var open = selector.IndexOf('(');
            var ids = open < 0 ? [] : selector[(open + 1)..selector.LastIndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
            Interlocked.Add(ref listed, ids.Length);
            var items = new JsonArray();
            foreach (var id in ids)
                if (workflows.TryGetValue($"purchase-{id}", out var bytes))
                    items.Add(JsonNode.Parse(WithStatus(bytes)));
            var list = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["items"] = items.Count == 0 ? null : items };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(list.ToJsonString(), ctx.RequestAborted);
        });

        app.MapPost("/_bench/phase", (HttpContext ctx) =>
        {
            var phase_ = ctx.Request.Query["phase"].ToString();
            var message = ctx.Request.Query["message"].FirstOrDefault();
            var finished = phase_ is "Succeeded" or "Failed" or "Error"
                ? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null;
            Volatile.Write(ref phase, new JsonObject
            {
                ["phase"] = phase_, ["message"] = message, ["startedAt"] = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["finishedAt"] = finished,
            });
            if (!watchers.IsEmpty)
                foreach (var bytes in workflows.Values)
                {
                    var metadata = JsonNode.Parse(bytes)!["metadata"]!.AsObject();
                    var change = new JsonObject
                    {
                        ["result"] = new JsonObject
                        {
                            ["type"] = "MODIFIED",
                            ["object"] = new JsonObject
                            {
                                ["metadata"] = new JsonObject
                                {
                                    ["resourceVersion"] = Interlocked.Increment(ref version).ToString(CultureInfo.InvariantCulture),
                                    ["labels"] = metadata["labels"]?.DeepClone(),
                                },
                                ["status"] = Volatile.Read(ref phase).DeepClone(),
                            },
                        },
                    }.ToJsonString();
                    foreach (var watcher in watchers.Keys)
                        if (watcher.Writer.TryWrite(change)) Interlocked.Increment(ref watchEvents);
                }
            return Results.Ok();
        });
        app.MapGet("/api/v1/workflow-events/{ns}", async (HttpContext ctx, string ns) =>
        {
            var stream = System.Threading.Channels.Channel.CreateUnbounded<string>();
            watchers[stream] = 0;
            try
            {
                ctx.Response.ContentType = "text/event-stream";
                await ctx.Response.StartAsync(ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted); // the headers at once, as Argo does
                while (true)
                {
                    // Argo's keep-alive every 15 s, so the service does not take a quiet watch for a dead one.
                    var next = stream.Reader.WaitToReadAsync(ctx.RequestAborted).AsTask();
                    if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(15), ctx.RequestAborted)) != next)
                        await ctx.Response.WriteAsync(":\n", ctx.RequestAborted);
                    else if (!await next) break;
                    while (stream.Reader.TryRead(out var change)) await ctx.Response.WriteAsync($"data: {change}\n\n", ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                watchers.TryRemove(stream, out _);
            }
        });
        app.MapPost("/_bench/seed", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var seeded = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                var workflow = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = $"purchase-{line}", ["namespace"] = "argo", ["uid"] = Guid.NewGuid().ToString(), ["resourceVersion"] = "1",
                        ["labels"] = new JsonObject { ["purchases/purchase-id"] = line },
                    },
                };
                if (workflows.TryAdd($"purchase-{line}", JsonSerializer.SerializeToUtf8Bytes(workflow))) seeded++;
            }
            return Results.Text($"{{\"seeded\":{seeded}}}", "application/json");
        });
        // An OTLP/HTTP sink, so that the service's telemetry export is part of what is measured (bench/run OTLP=1).
        long otlpRequests = 0, otlpBytes = 0;
        app.MapPost("/v1/{signal}", async (HttpContext ctx, string signal) =>
        {
            using var sink = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(sink, ctx.RequestAborted);
            Interlocked.Increment(ref otlpRequests);
            Interlocked.Add(ref otlpBytes, sink.Length);
            ctx.Response.ContentType = "application/x-protobuf";
        });
        app.MapGet("/_bench/otlp", () => Results.Text(
            $"{{\"requests\":{Interlocked.Read(ref otlpRequests)},\"bytes\":{Interlocked.Read(ref otlpBytes)}}}", "application/json"));
        app.MapPost("/_bench/reset-counts", () =>
        {
            Interlocked.Exchange(ref gets, 0);
            Interlocked.Exchange(ref lists, 0);
            Interlocked.Exchange(ref listed, 0);
            Interlocked.Exchange(ref watchEvents, 0);
            return Results.Ok();
        });

        app.MapGet("/_bench/count", () => Results.Text(
            $"{{\"created\":{workflows.Count},\"conflicts\":{Volatile.Read(ref conflicts)},\"gets\":{Interlocked.Read(ref gets)}," +
            $"\"lists\":{Interlocked.Read(ref lists)},\"listed\":{Interlocked.Read(ref listed)},\"watches\":{watchers.Count}," +
            $"\"watch_events\":{Interlocked.Read(ref watchEvents)}}}", "application/json"));
        app.MapGet("/_bench/received", () =>
        {
            var sb = new StringBuilder();
            foreach (var (key, at) in received)
                sb.Append(key).Append('\t').Append(at.ToString("F3", CultureInfo.InvariantCulture)).Append('\n');
            return Results.Text(sb.ToString(), "text/plain");
        });

        await app.RunAsync();
        return 0;
    }

    static async Task Error(HttpContext ctx, int status, int code, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(new { code, message }));
    }

    /// <summary>The fake's arrivals, by key (first arrival wins).</summary>
    public static async Task<Dictionary<string, double>> ReceivedAsync(HttpClient http, string baseUrl)
    {
        var text = await http.GetStringAsync(baseUrl.TrimEnd('/') + "/_bench/received");
        var map = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            map.TryAdd(line[..tab], double.Parse(line[(tab + 1)..], CultureInfo.InvariantCulture));
        }
        return map;
    }
}
