using System.Security.Cryptography.X509Certificates;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// An Argo server on loopback (Kestrel, dynamic port) answering create, get and retry like Argo v4 does
/// (design/argo.md): 409 for a name that exists, grpc-gateway JSON errors, scriptable failures and delays, and
/// workflow phases a test moves along (Running, Failed with a message, Succeeded, deleted).
/// Workflows are kept by name only, whatever the namespace.
/// </summary>
public sealed partial class FakeArgo : IAsyncDisposable
{
    readonly WebApplication app;
    readonly Lock gate = new();
    readonly Dictionary<string, JsonElement> workflows = [];
    readonly List<string> createdNames = [];
    readonly List<string> nonConforming = [];
    readonly Dictionary<string, List<TaskCompletionSource<JsonElement>>> waiters = [];
    readonly ConcurrentQueue<Script> scripts = new();
    Script.Respond? always;
    int createCalls;
    int getCalls;
    int listCalls;
    int listedPurchases;
    int retryCalls;
    volatile object? readStatus;
    volatile object? listDelay;

    abstract record Script
    {
        public sealed record Respond(int Status, string? RetryAfter, string? ContentType = null, string? Body = null) : Script;
        public sealed record Delay(TimeSpan Duration) : Script;
    }

    FakeArgo(WebApplication app) => this.app = app;

    /// <summary>
    /// Starts on <paramref name="port"/> of 127.0.0.1; 0 (the default) lets the OS pick a free one. With a
    /// <paramref name="certificate"/> it serves HTTPS only, like the real Argo server does by default, sending
    /// <paramref name="intermediates"/> along.
    /// </summary>
    public static async Task<FakeArgo> StartAsync(int port = 0, X509Certificate2? certificate = null,
        X509Certificate2Collection? intermediates = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}");
        if (certificate is not null)
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.ServerCertificateChain = intermediates;
            }));
        builder.Logging.ClearProviders();
        var fake = new FakeArgo(builder.Build());
        fake.app.Use(fake.ConformsAsync);
        fake.app.MapPost("/api/v1/workflows/{ns}", fake.CreateAsync);
        fake.app.MapGet("/api/v1/workflows/{ns}", fake.ListAsync);
        fake.app.MapGet("/api/v1/workflows/{ns}/{name}", fake.Get);
        fake.app.MapPut("/api/v1/workflows/{ns}/{name}/retry", fake.RetryAsync);
        fake.app.MapGet("/api/v1/workflow-events/{ns}", fake.WatchAsync);
        await fake.app.StartAsync();
        fake.BaseUrl = new Uri(fake.app.Urls.Single() + "/");
        return fake;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>POSTs received, scripted failures included.</summary>
    public int CreateCalls => Volatile.Read(ref createCalls);

    /// <summary>Requests that did not conform to Argo's upstream document (each answered 400).</summary>
    public IReadOnlyList<string> NonConforming
    {
        get { lock (gate) return [.. nonConforming]; }
    }

    /// <summary>GETs of one workflow received (read-backs and the reconciler's reads).</summary>
    public int GetCalls => Volatile.Read(ref getCalls);

    /// <summary>Lists (GET /api/v1/workflows/{ns}) received.</summary>
    public int ListCalls => Volatile.Read(ref listCalls);

    /// <summary>Values asked for by the lists' <c>in (…)</c> selectors, added up.</summary>
    public int ListedPurchases => Volatile.Read(ref listedPurchases);

    /// <summary>The <c>listOptions.labelSelector</c> of the last list.</summary>
    public string? LastLabelSelector { get; private set; }

    /// <summary>Names the lists leave out, as a list from Argo's server cache does with a workflow just created.</summary>
    public HashSet<string> HiddenFromLists { get; } = [];

    /// <summary>PUT …/retry received.</summary>
    public int RetryCalls => Volatile.Read(ref retryCalls);

    public string? LastNamespace { get; private set; }
    public string? LastAuthorization { get; private set; }
    /// <summary>The <c>traceparent</c> header of the last request.</summary>
    public string? LastTraceParent { get; private set; }
    /// <summary>The <c>fields</c> query parameter of the last GET or list.</summary>
    public string? LastFields { get; private set; }

    /// <summary>Workflows that exist, by metadata.name: the posted "workflow" object with metadata.uid (and namespace) added.</summary>
    public IReadOnlyDictionary<string, JsonElement> Workflows
    {
        get { lock (gate) return new Dictionary<string, JsonElement>(workflows); }
    }

    /// <summary>Names in the order they were created through POST (seeded ones are not included).</summary>
    public IReadOnlyList<string> CreatedNames
    {
        get { lock (gate) return [.. createdNames]; }
    }

    /// <summary>The next POST answers <paramref name="status"/> with a JSON error body; a scripted 200 creates normally.</summary>
    public void EnqueueCreateResponse(int status, string? retryAfter = null) => scripts.Enqueue(new Script.Respond(status, retryAfter));

    /// <summary>The next POST answers this exact body (e.g. the rate limiter's text/plain 429, a proxy's HTML 502).</summary>
    public void EnqueueCreateRawResponse(int status, string contentType, string body, string? retryAfter = null) =>
        scripts.Enqueue(new Script.Respond(status, retryAfter, contentType, body));

    /// <summary>
    /// The next POST waits this long, then behaves normally even if the client has given up meanwhile, as Argo
    /// does when the Kubernetes write is slow: the workflow may exist although the caller saw a timeout.
    /// </summary>
    public void EnqueueCreateDelay(TimeSpan delay) => scripts.Enqueue(new Script.Delay(delay));

    /// <summary>Every POST answers this status (JSON error body); null goes back to normal behaviour.</summary>
    public void AlwaysRespond(int? status, string? retryAfter = null) =>
        Volatile.Write(ref always, status is { } s ? new Script.Respond(s, retryAfter) : null);

    /// <summary>GETs and retries answer this status (JSON error body), as an Argo that is down; null: normal again.</summary>
    public void ReadsRespond(int? status) => readStatus = status;

    /// <summary>Lists answer what they found, <paramref name="delay"/> later (null: at once), as a slow Argo would.</summary>
    public void ListsAnswerAfter(TimeSpan? delay) => listDelay = delay;

    /// <summary>Moves a workflow to <paramref name="phase"/>, as Argo's controller would (startedAt set once, finishedAt when final).</summary>
    public void SetPhase(string name, string phase, string? message = null, DateTimeOffset? finishedAt = null)
    {
        lock (gate)
        {
            if (!workflows.TryGetValue(name, out var existing)) throw new InvalidOperationException($"No workflow '{name}'");
            var workflow = JsonNode.Parse(existing.GetRawText())!.AsObject();
            var status = workflow["status"] as JsonObject ?? new JsonObject();
            status["phase"] = phase;
            status["message"] = message;
            status["startedAt"] ??= DateTimeOffset.UtcNow.AddSeconds(-5).ToString("yyyy-MM-ddTHH:mm:ssZ");
            status["finishedAt"] = phase is "Succeeded" or "Failed" or "Error"
                ? (finishedAt ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-ddTHH:mm:ssZ")
                : null;
            workflow["status"] = status;
            Store(name, JsonSerializer.SerializeToElement(workflow));
        }
    }

    /// <summary>The workflow is gone (deleted by someone, or garbage-collected).</summary>
    public void Delete(string name)
    {
        lock (gate)
            if (workflows.Remove(name, out var gone)) Publish("DELETED", gone);
    }

    public string? PhaseOf(string name)
    {
        lock (gate)
            return workflows.TryGetValue(name, out var w) && w.TryGetProperty("status", out var st) &&
                   st.TryGetProperty("phase", out var phase) ? phase.GetString() : null;
    }

    /// <summary>A workflow that already exists with that purchase-id label, as if created before a crash.</summary>
    public void Seed(string name, Guid purchaseId)
    {
        var workflow = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "argo",
                ["uid"] = Guid.NewGuid().ToString(),
                ["labels"] = new JsonObject { ["purchases/purchase-id"] = purchaseId.ToString("D") },
            },
            ["spec"] = new JsonObject { ["workflowTemplateRef"] = new JsonObject { ["name"] = "purchase-strategy" } },
        };
        lock (gate) Store(name, JsonSerializer.SerializeToElement(workflow));
    }

    /// <summary>Completes when a workflow of that name exists; throws <see cref="TimeoutException"/> otherwise.</summary>
    public async Task<JsonElement> WaitForWorkflowAsync(string name, TimeSpan timeout)
    {
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (workflows.TryGetValue(name, out var existing)) return existing;
            if (!waiters.TryGetValue(name, out var list)) waiters[name] = list = [];
            list.Add(waiter);
        }
        try
        {
            return await waiter.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No workflow '{name}' within {timeout}; created so far: [{string.Join(", ", CreatedNames)}]");
        }
    }

    /// <summary>Forgets workflows, counters, scripts and the last request.</summary>
    public void Reset()
    {
        lock (gate)
        {
            workflows.Clear();
            createdNames.Clear();
            nonConforming.Clear();
            scripts.Clear();
            always = null;
            createCalls = getCalls = retryCalls = listCalls = listedPurchases = 0;
            HiddenFromLists.Clear();
            LastLabelSelector = null;
            readStatus = null;
            listDelay = null;
            LastNamespace = LastAuthorization = LastFields = LastTraceParent = null;
            ResetWatch();
        }
    }

    async Task CreateAsync(HttpContext context, string ns)
    {
        Interlocked.Increment(ref createCalls);
        Record(context, ns);
        var script = Volatile.Read(ref always) ?? (scripts.TryDequeue(out var next) ? next : null);
        if (script is Script.Delay delay)
            await Task.Delay(delay.Duration, app.Lifetime.ApplicationStopping);
        if (script is Script.Respond respond and ({ Status: not 200 } or { Body: not null }))
        {
            await RespondAsync(context, respond);
            return;
        }

        JsonNode? workflow;
        try
        {
            workflow = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: app.Lifetime.ApplicationStopping))?["workflow"];
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, 400, 3, e.Message);
            return;
        }
        if (workflow?["metadata"]?["name"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            await ErrorAsync(context, 400, 3, workflow is null ? "workflow body not specified" : "metadata.name is required");
            return;
        }

        workflow["metadata"]!["uid"] = Guid.NewGuid().ToString();
        workflow["metadata"]!["namespace"] ??= ns;
        var stored = JsonSerializer.SerializeToElement(workflow);
        lock (gate)
        {
            if (workflows.ContainsKey(name)) stored = default;
            else
            {
                Store(name, stored);
                createdNames.Add(name);
            }
        }
        if (stored.ValueKind == JsonValueKind.Undefined)
            await ErrorAsync(context, 409, 6, $"workflows.argoproj.io \"{name}\" already exists");
        else
            await JsonAsync(context, 200, stored.GetRawText());
    }

    async Task Get(HttpContext context, string ns, string name)
    {
        Interlocked.Increment(ref getCalls);
        Record(context, ns);
        if (await AnsweredAsDownAsync(context)) return;
        LastFields = context.Request.Query["fields"];
        JsonElement workflow;
        bool found;
        lock (gate) found = workflows.TryGetValue(name, out workflow);
        if (found) await JsonAsync(context, 200, workflow.GetRawText());
        else await ErrorAsync(context, 404, 5, $"workflows.argoproj.io \"{name}\" not found");
    }

    // Kubernetes label selectors as Argo's list takes them: "key=value" or "key in (a,b)", comma meaning AND.
    async Task ListAsync(HttpContext context, string ns)
    {
        Interlocked.Increment(ref listCalls);
        Record(context, ns);
        if (await AnsweredAsDownAsync(context)) return;
        var selector = LastLabelSelector = context.Request.Query["listOptions.labelSelector"];
        LastFields = context.Request.Query["fields"];
        var requirements = new List<(string Key, HashSet<string> Values)>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(selector ?? "",
                     @"\s*([^,=\s]+)\s*(?:in\s*\(([^)]*)\)|==?\s*([^,\s]+))\s*(?:,|$)"))
            requirements.Add((m.Groups[1].Value, m.Groups[2].Success
                ? [.. m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                : [m.Groups[3].Value]));
        Interlocked.Add(ref listedPurchases, requirements.Sum(r => r.Values.Count));
        List<JsonElement> items;
        lock (gate)
            items = workflows.Where(w => !HiddenFromLists.Contains(w.Key) && requirements.All(r =>
                    w.Value.GetProperty("metadata").TryGetProperty("labels", out var labels) &&
                    labels.TryGetProperty(r.Key, out var value) && r.Values.Contains(value.GetString() ?? "")))
                .Select(w => w.Value).ToList();
        var list = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
            ["items"] = items.Count == 0 ? null : new JsonArray([.. items.Select(i => JsonNode.Parse(i.GetRawText()))]),
        };
        if (listDelay is TimeSpan delay) await Task.Delay(delay, app.Lifetime.ApplicationStopping);
        await JsonAsync(context, 200, list.ToJsonString());
    }

    // Argo's FormulateRetryWorkflow: only Failed or Error; then phase "", message cleared, startedAt now, finishedAt null.
    async Task RetryAsync(HttpContext context, string ns, string name)
    {
        Interlocked.Increment(ref retryCalls);
        Record(context, ns);
        if (await AnsweredAsDownAsync(context)) return;
        JsonElement retried = default;
        string? refusal = null;
        lock (gate)
        {
            if (workflows.TryGetValue(name, out var existing))
            {
                var workflow = JsonNode.Parse(existing.GetRawText())!.AsObject();
                var phase = (string?)workflow["status"]?["phase"] ?? "";
                if (phase is "Failed" or "Error")
                {
                    workflow["status"] = new JsonObject
                    {
                        ["phase"] = "", ["startedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["finishedAt"] = null,
                    };
                    retried = JsonSerializer.SerializeToElement(workflow);
                    Store(name, retried);
                }
                else refusal = phase == "Succeeded"
                    ? "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector"
                    : $"Cannot retry a workflow in phase {phase}";
            }
        }
        if (refusal is not null) await ErrorAsync(context, 400, 3, refusal);
        else if (retried.ValueKind == JsonValueKind.Undefined) await ErrorAsync(context, 404, 5, $"workflows.argoproj.io \"{name}\" not found");
        else await JsonAsync(context, 200, retried.GetRawText());
    }

    async Task ConformsAsync(HttpContext context, RequestDelegate next)
    {
        JsonElement? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            context.Request.EnableBuffering();
            try
            {
                body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
            }
            catch (JsonException)
            {
                // The endpoint answers unreadable bodies as Argo does.
            }
            context.Request.Body.Position = 0;
        }
        var problems = ArgoApiConformance.Check(context.Request.Method, context.Request.Path.Value ?? "/",
            context.Request.Query.Keys, body);
        if (problems.Count == 0)
        {
            await next(context);
            return;
        }
        lock (gate) nonConforming.AddRange(problems);
        await ErrorAsync(context, 400, 3, "fake argo: not Argo's API: " + string.Join("; ", problems));
    }

    /// <summary>When <see cref="ReadsRespond"/> set a status, answers with it (true) instead of the call.</summary>
    async Task<bool> AnsweredAsDownAsync(HttpContext context)
    {
        if (readStatus is not int down) return false;
        await ErrorAsync(context, down, GrpcCodeOf(down), $"fake argo: scripted HTTP {down}");
        return true;
    }

    void Record(HttpContext context, string ns)
    {
        LastNamespace = ns;
        LastAuthorization = context.Request.Headers.Authorization.FirstOrDefault();
        LastTraceParent = context.Request.Headers["traceparent"].FirstOrDefault();
    }

    // Called under the gate.
    void Store(string name, JsonElement workflow)
    {
        workflow = Publish(workflows.ContainsKey(name) ? "MODIFIED" : "ADDED", workflow);
        workflows[name] = workflow;
        if (waiters.Remove(name, out var list))
            foreach (var waiter in list) waiter.TrySetResult(workflow);
    }

    static Task RespondAsync(HttpContext context, Script.Respond respond)
    {
        if (respond.RetryAfter is not null) context.Response.Headers.RetryAfter = respond.RetryAfter;
        if (respond.Body is not null)
        {
            context.Response.StatusCode = respond.Status;
            context.Response.ContentType = respond.ContentType;
            return context.Response.WriteAsync(respond.Body);
        }
        return ErrorAsync(context, respond.Status, GrpcCodeOf(respond.Status), $"fake argo: scripted HTTP {respond.Status}");
    }

    // grpc-gateway v1 HTTPStatusFromCode, backwards.
    static int GrpcCodeOf(int status) => status switch
    {
        400 => 3, 401 => 16, 403 => 7, 404 => 5, 409 => 6, 429 => 8, 499 => 1, 501 => 12, 503 => 14, 504 => 4, 500 => 13, _ => 2,
    };

    static Task ErrorAsync(HttpContext context, int status, int code, string message) =>
        JsonAsync(context, status, JsonSerializer.Serialize(new JsonObject { ["code"] = code, ["message"] = message }));

    static Task JsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        EndWatches();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
