using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Argo;

/// <summary>A change Argo's watch reported for the workflow of a purchase.</summary>
/// <param name="Phase">Argo's <c>status.phase</c> ("" before the controller saw it), or <see cref="WorkflowPhase.Deleted"/>.</param>
public sealed record WorkflowChange(Guid PurchaseId, string Phase, string? ResourceVersion);

/// <summary>Argo refused the watch or ended it with an error.</summary>
/// <param name="Status">The HTTP status, or the <c>http_code</c> of the error event.</param>
public sealed class WorkflowWatchException(int? status, string message) : Exception(message)
{
    public int? Status => status;

    /// <summary>The resourceVersion asked for is no longer in Kubernetes' history (Argo maps its 410 to 400).</summary>
    public bool Expired => Message.Contains("too old resource version", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Argo's watch of the workflows that carry a purchase-id label (<c>GET /api/v1/workflow-events/{namespace}</c>,
/// docs/design/argo-reconcile.md §3), read as server-sent events. Kiota cannot read an endless stream, so this is a
/// plain <see cref="HttpClient"/> with the same TLS trust and token as the Kiota client.
/// </summary>
public sealed class ArgoWorkflowWatch : IDisposable
{
    /// <summary>Applied by Argo to each whole event, hence the <c>result.</c> prefix, and <c>error</c> kept.</summary>
    const string Fields = "result.type,result.object.metadata.resourceVersion,result.object.metadata.labels," +
                          "result.object.status.phase,error";
    /// <summary>Argo sends a keep-alive every 15 s: three missed ones mean the connection is dead.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(45);

    readonly ArgoOptions options;
    readonly HttpClient? http;
    readonly ArgoTokenProvider? tokens;

    public ArgoWorkflowWatch(IOptions<ArgoOptions> options)
    {
        this.options = options.Value;
        if (!this.options.IsConfigured) return;
        http = new HttpClient(new SocketsHttpHandler { SslOptions = ArgoTls.ClientOptions(this.options.CaFile) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (this.options.Token is not null || this.options.TokenFile is not null) tokens = new ArgoTokenProvider(this.options);
    }

    public bool IsConfigured => http is not null;

    /// <summary>
    /// The changes from <paramref name="resourceVersion"/> on (without one, Kubernetes first reports every workflow
    /// as added), until Argo ends the watch (its API server does after 30–60 min). Throws
    /// <see cref="WorkflowWatchException"/> when Argo refuses or fails it, and <see cref="OperationCanceledException"/>
    /// after <see cref="Silence"/> without a byte.
    /// </summary>
    /// <param name="connected">Called once Argo has accepted the watch.</param>
    public async IAsyncEnumerable<WorkflowChange> WatchAsync(string? resourceVersion, Action connected,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (http is null) yield break;
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(ct);
        silence.CancelAfter(Silence);
        var url = new Uri(options.BaseUrl!, $"api/v1/workflow-events/{Uri.EscapeDataString(options.Namespace)}" +
            $"?listOptions.labelSelector={Uri.EscapeDataString(ArgoWorkflows.PurchaseIdLabel)}&fields={Uri.EscapeDataString(Fields)}" +
            (resourceVersion is null ? "" : $"&listOptions.resourceVersion={Uri.EscapeDataString(resourceVersion)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (tokens is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                await tokens.GetAuthorizationTokenAsync(url, cancellationToken: silence.Token));

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, silence.Token);
        // 429 before any event is how Argo ends a watch that saw nothing (design §3, "How it ends").
        if ((int)response.StatusCode == 429) yield break;
        if (!response.IsSuccessStatusCode)
            throw new WorkflowWatchException((int)response.StatusCode, ArgoWorkflows.Shorten(await response.Content.ReadAsStringAsync(silence.Token)));

        connected();
        await using var stream = await response.Content.ReadAsStreamAsync(silence.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(silence.Token) is { } line)
        {
            silence.CancelAfter(Silence);
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue; // keep-alives (":") and event delimiters
            var (change, ended) = Parse(line[5..]);
            if (ended) yield break;
            if (change is not null) yield return change;
        }
    }

    static (WorkflowChange? Change, bool Ended) Parse(string data)
    {
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            int? httpCode = error.TryGetProperty("http_code", out var code) && code.TryGetInt32(out var c) ? c : null;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            // The API server closed its watch: Argo says so with ResourceExhausted, "EOF".
            if (httpCode == 429 && message == "EOF") return (null, true);
            throw new WorkflowWatchException(httpCode, ArgoWorkflows.Shorten(message));
        }
        if (!root.TryGetProperty("result", out var result) || !result.TryGetProperty("object", out var workflow)) return (null, false);
        var type = result.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!workflow.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("labels", out var labels)
            || !labels.TryGetProperty(ArgoWorkflows.PurchaseIdLabel, out var label)
            || !Guid.TryParse(label.GetString(), out var purchaseId))
            return (null, false);
        var phase = type == "DELETED" ? WorkflowPhase.Deleted
            : workflow.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var p) ? p.GetString() ?? "" : "";
        var version = metadata.TryGetProperty("resourceVersion", out var v) ? v.GetString() : null;
        return (new WorkflowChange(purchaseId, phase, version), false);
    }

    public void Dispose() => http?.Dispose();
}
