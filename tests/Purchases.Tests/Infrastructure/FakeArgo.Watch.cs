using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// Argo's watch (<c>GET /api/v1/workflow-events/{ns}</c>) as server-sent events (docs/design/argo-reconcile.md §3):
/// without a resourceVersion every workflow first as ADDED, with one the changes after it; every change carries a
/// new <c>metadata.resourceVersion</c>; a watch ended by the server closes with Argo's EOF error event.
/// </summary>
public sealed partial class FakeArgo
{
    static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    readonly List<(long Version, string Event)> history = [];
    readonly List<Channel<string>> watchers = [];
    long resourceVersion;
    int watchCalls;
    volatile object? watchStatus;
    bool historyExpired;

    public int WatchCalls => Volatile.Read(ref watchCalls);

    /// <summary>The <c>listOptions.resourceVersion</c> of the last watch request; null when it had none.</summary>
    public string? LastWatchResourceVersion { get; private set; }

    public string? LastWatchQuery { get; private set; }

    public string? LastWatchAuthorization { get; private set; }

    /// <summary>The resourceVersion of the latest change.</summary>
    public string LatestResourceVersion
    {
        get { lock (gate) return resourceVersion.ToString(); }
    }

    /// <summary>Open watch streams.</summary>
    public int Watching
    {
        get { lock (gate) return watchers.Count; }
    }

    /// <summary>Answer watch requests with <paramref name="status"/> (e.g. 403 without the RBAC verb); null: serve them.</summary>
    public void WatchesRespond(int? status) => watchStatus = status;

    /// <summary>A watch from an earlier resourceVersion fails as Kubernetes' 410 does through Argo (400, "too old").</summary>
    public void ExpireWatchHistory()
    {
        lock (gate) historyExpired = true;
    }

    /// <summary>Ends every open watch the way Argo does when its API server closes it.</summary>
    public void EndWatches()
    {
        lock (gate)
        {
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite("""{"error":{"grpc_code":8,"http_code":429,"message":"EOF","http_status":"Too Many Requests"}}""");
                watcher.Writer.TryComplete();
            }
            watchers.Clear();
        }
    }

    // Called under the gate: the workflow with its new resourceVersion, its change sent to every watch.
    JsonElement Publish(string type, JsonElement workflow)
    {
        var node = JsonNode.Parse(workflow.GetRawText())!.AsObject();
        var metadata = node["metadata"] as JsonObject ?? (JsonObject)(node["metadata"] = new JsonObject());
        metadata["resourceVersion"] = (++resourceVersion).ToString();
        var change = new JsonObject { ["result"] = new JsonObject { ["type"] = type, ["object"] = node.DeepClone() } }.ToJsonString();
        history.Add((resourceVersion, change));
        foreach (var watcher in watchers) watcher.Writer.TryWrite(change);
        return JsonSerializer.SerializeToElement(node);
    }

    void ResetWatch()
    {
        EndWatches();
        history.Clear();
        historyExpired = false;
        watchCalls = 0;
        watchStatus = null;
        LastWatchResourceVersion = LastWatchQuery = LastWatchAuthorization = null;
    }

    async Task WatchAsync(HttpContext context)
    {
        Interlocked.Increment(ref watchCalls);
        LastWatchAuthorization = context.Request.Headers.Authorization.FirstOrDefault();
        var from = context.Request.Query["listOptions.resourceVersion"].ToString();
        LastWatchResourceVersion = from.Length == 0 ? null : from;
        LastWatchQuery = context.Request.QueryString.Value;
        if (watchStatus is int status)
        {
            await ErrorAsync(context, status, status == 403 ? 7 : 13, "fake argo: watch refused");
            return;
        }

        var stream = Channel.CreateUnbounded<string>();
        lock (gate)
        {
            if (from.Length == 0)
                foreach (var workflow in workflows.Values)
                    stream.Writer.TryWrite(new JsonObject
                    {
                        ["result"] = new JsonObject { ["type"] = "ADDED", ["object"] = JsonNode.Parse(workflow.GetRawText()) },
                    }.ToJsonString());
            else if (historyExpired)
            {
                stream.Writer.TryWrite("""{"error":{"grpc_code":3,"http_code":400,"message":"too old resource version: 1 (5)","http_status":"Bad Request"}}""");
                stream.Writer.TryComplete();
            }
            else
                foreach (var (version, change) in history.Where(h => h.Version > long.Parse(from)))
                    stream.Writer.TryWrite(change);
            if (!historyExpired || from.Length == 0) watchers.Add(stream);
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync(); // the headers at once, as Argo's SendHeader does
        try
        {
            var aborted = context.RequestAborted;
            while (true)
            {
                var next = stream.Reader.WaitToReadAsync(aborted).AsTask();
                if (await Task.WhenAny(next, Task.Delay(KeepAlive, aborted)) != next)
                    await context.Response.WriteAsync(":\n", aborted);
                else if (!await next) break;
                while (stream.Reader.TryRead(out var change)) await context.Response.WriteAsync($"data: {change}\n\n", aborted);
                await context.Response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (gate) watchers.Remove(stream);
        }
    }
}
