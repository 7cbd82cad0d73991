using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Serialization.Json;
using Purchases.Infrastructure.Argo.Generated;
using Purchases.Infrastructure.Argo.Generated.Models.Io.Argoproj.Workflow.V1alpha1;
using Purchases.Infrastructure.Argo.Generated.Models.Io.K8s.Apimachinery.Pkg.Apis.Meta.V1;
using ArgoError = Purchases.Infrastructure.Argo.Generated.Models.Grpc.Gateway.Runtime.Error;
using ArgoWorkflow = Purchases.Infrastructure.Argo.Generated.Models.Io.Argoproj.Workflow.V1alpha1.Workflow;

namespace Purchases.Infrastructure.Argo;

/// <summary>
/// <see cref="IArgoWorkflows"/> over the Kiota client (design/argo.md, "Recommended wiring"): create with a fixed name;
/// on 409 read the workflow back and compare its purchase-id label. No retries here: the outbox owns them.
/// </summary>
sealed class ArgoWorkflows : IArgoWorkflows, IDisposable
{
    public const string PurchaseIdLabel = "purchases/purchase-id";
    public const string UserLabel = "purchases/user";
    public const string RetailerIdLabel = "purchases/retailer-id";
    // Argo's /submit sets it; with create we add it ourselves (the UI and duration estimates use it).
    public const string TemplateLabel = "workflows.argoproj.io/workflow-template";
    public const string TraceParentAnnotation = "purchases/traceparent";
    const string ReadBackFields = "metadata.name,metadata.uid,metadata.labels";
    const string PhaseFields = "metadata.name,metadata.uid,status.phase,status.message,status.startedAt,status.finishedAt";
    const string ListFields = "metadata.resourceVersion,items.metadata.name,items.metadata.resourceVersion," +
                              "items.status.phase,items.status.message,items.status.startedAt,items.status.finishedAt";
    const int MaxErrorLength = 300;

    readonly ArgoOptions options;
    readonly ILogger<ArgoWorkflows> logger;
    readonly TimeProvider time;
    readonly HttpClient? http;
    readonly ArgoApiClient? client;
    readonly HttpClientRequestAdapter? adapter;

    public ArgoWorkflows(IOptions<ArgoOptions> options, ILogger<ArgoWorkflows> logger, TimeProvider time)
    {
        this.options = options.Value;
        this.logger = logger;
        this.time = time;
        if (!this.options.IsConfigured) return;

        // Without RetryHandler: Kiota would silently resend POSTs on 429/503/504.
        var handlers = KiotaClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler).ToArray();
        var transport = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = ArgoTls.ClientOptions(this.options.CaFile),
        };
        http = new HttpClient(KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(transport, handlers)!)
        {
            Timeout = this.options.Timeout,
        };
        // JSON only: with the Text parser registered, a text/plain 429 would surface as InvalidOperationException
        // instead of an ApiException carrying the status and Retry-After.
        var parseNodes = new ParseNodeFactoryRegistry();
        parseNodes.ContentTypeAssociatedFactories["application/json"] = new JsonParseNodeFactory();
        IAuthenticationProvider auth = this.options.Token is null && this.options.TokenFile is null
            ? new AnonymousAuthenticationProvider()
            : new BaseBearerTokenAuthenticationProvider(new ArgoTokenProvider(this.options));
        adapter = new HttpClientRequestAdapter(auth, parseNodes, httpClient: http)
        {
            BaseUrl = this.options.BaseUrl!.ToString().TrimEnd('/'),
        };
        client = new ArgoApiClient(adapter);
    }

    public async Task<CreateOutcome> CreateAsync(WorkflowRequest request, CancellationToken ct)
    {
        if (client is null || adapter is null) return new CreateOutcome.Failed(null, NotConfigured, null);
        var workflows = client.Api.V1.Workflows[options.Namespace];
        try
        {
            var post = workflows.ToPostRequestInformation(
                new WorkflowCreateRequest { Namespace = options.Namespace, Workflow = WorkflowFor(request) });
            string? uid;
            await using (var answer = await adapter.SendPrimitiveAsync<Stream>(post, ArgoErrors, ct))
                uid = answer is null ? null : await CreatedWorkflow.UidFromAsync(answer, ct);
            logger.LogDebug("Argo created workflow {WorkflowName} ({Uid}) in {Namespace} for purchase {PurchaseId}",
                request.Name, uid, options.Namespace, request.PurchaseId);
            return new CreateOutcome.Created(uid);
        }
        catch (ApiException e) when (e.ResponseStatusCode == 409)
        {
            // Not necessarily ours: Argo maps every Kubernetes 409 to AlreadyExists (argo.md §3). Read it back below.
        }
        catch (Exception e) when (FailureOf(e, ct) is { } failed)
        {
            return Log(request, failed, "create");
        }

        try
        {
            var existing = await workflows[request.Name].GetAsync(c => c.QueryParameters.Fields = ReadBackFields, ct);
            return Verify(request, existing);
        }
        catch (Exception e) when (FailureOf(e, ct) is { } failed)
        {
            return Log(request, failed with { Error = Shorten($"409 on create, then read-back failed: {failed.Error}") }, "read-back");
        }
    }

    public async Task<WorkflowReading> ReadAsync(string name, CancellationToken ct)
    {
        if (client is null) return new WorkflowReading.Failed(null, NotConfigured);
        try
        {
            var workflow = await client.Api.V1.Workflows[options.Namespace][name].GetAsync(c => c.QueryParameters.Fields = PhaseFields, ct);
            var status = workflow?.Status;
            return new WorkflowReading.Found(status?.Phase ?? "", status?.Message, status?.StartedAt, status?.FinishedAt);
        }
        catch (ApiException e) when (e.ResponseStatusCode == 404)
        {
            return new WorkflowReading.NotFound();
        }
        catch (Exception e) when (FailureOf(e, ct) is { } failed)
        {
            logger.LogWarning("Argo read of workflow {WorkflowName} in {Namespace} failed ({Status}): {Error}",
                name, options.Namespace, failed.Status, failed.Error);
            return new WorkflowReading.Failed(failed.Status, failed.Error);
        }
    }

    public async Task<WorkflowListing> ListAsync(IReadOnlyCollection<Guid> purchaseIds, CancellationToken ct)
    {
        if (client is null) return new WorkflowListing.Failed(null, NotConfigured);
        if (purchaseIds.Count is 0 or > IArgoWorkflows.MaxListed)
            throw new ArgumentOutOfRangeException(nameof(purchaseIds), $"1 to {IArgoWorkflows.MaxListed} purchases per list");
        var selector = $"{PurchaseIdLabel} in ({string.Join(',', purchaseIds.Select(id => id.ToString("D")))})";
        try
        {
            var list = await client.Api.V1.Workflows[options.Namespace].GetAsync(c =>
            {
                c.QueryParameters.ListOptionsLabelSelector = selector;
                c.QueryParameters.Fields = ListFields;
            }, ct);
            var found = new Dictionary<string, WorkflowReading.Found>();
            // Archived copies (no resourceVersion) come after the live ones and never replace them.
            foreach (var item in (list?.Items ?? []).OrderBy(w => w.Metadata?.ResourceVersion is null))
                if (item.Metadata?.Name is { } name && !found.ContainsKey(name))
                    found[name] = new WorkflowReading.Found(item.Status?.Phase ?? "", item.Status?.Message,
                        item.Status?.StartedAt, item.Status?.FinishedAt);
            return new WorkflowListing.Listed(found);
        }
        catch (Exception e) when (FailureOf(e, ct) is { } failed)
        {
            logger.LogWarning("Argo list of {Count} workflows in {Namespace} failed ({Status}): {Error}",
                purchaseIds.Count, options.Namespace, failed.Status, failed.Error);
            return new WorkflowListing.Failed(failed.Status, failed.Error);
        }
    }

    public async Task<RetryOutcome> RetryAsync(string name, CancellationToken ct)
    {
        if (client is null) return new RetryOutcome.Failed(null, NotConfigured);
        try
        {
            var workflow = await client.Api.V1.Workflows[options.Namespace][name].Retry.PutAsync(
                new WorkflowRetryRequest { Name = name, Namespace = options.Namespace }, cancellationToken: ct);
            logger.LogInformation("Argo retried workflow {WorkflowName} in {Namespace}", name, options.Namespace);
            return new RetryOutcome.Retried(workflow?.Status?.Phase ?? "");
        }
        catch (ApiException e) when (e.ResponseStatusCode == 404)
        {
            return new RetryOutcome.NotFound();
        }
        catch (ApiException e) when (e.ResponseStatusCode == 400)
        {
            return new RetryOutcome.Refused(Shorten((e as ArgoError)?.MessageEscaped ?? "HTTP 400"));
        }
        catch (Exception e) when (FailureOf(e, ct) is { } failed)
        {
            logger.LogWarning("Argo retry of workflow {WorkflowName} in {Namespace} failed ({Status}): {Error}",
                name, options.Namespace, failed.Status, failed.Error);
            return new RetryOutcome.Failed(failed.Status, failed.Error);
        }
    }

    static readonly Dictionary<string, ParsableFactory<IParsable>> ArgoErrors = new()
    {
        ["XXX"] = ArgoError.CreateFromDiscriminatorValue,
    };

    const string NotConfigured = "Argo is not configured (Argo:BaseUrl is not set)";

    ArgoWorkflow WorkflowFor(WorkflowRequest request)
    {
        var labels = new ObjectMeta_labels();
        labels.AdditionalData[PurchaseIdLabel] = request.PurchaseId.ToString("D");
        AddLabel(UserLabel, request.User);
        AddLabel(RetailerIdLabel, request.RetailerId);
        AddLabel(TemplateLabel, options.WorkflowTemplate);

        var annotations = new ObjectMeta_annotations();
        annotations.AdditionalData[UserLabel] = request.User;
        annotations.AdditionalData[RetailerIdLabel] = request.RetailerId;
        if (request.TraceParent is not null) annotations.AdditionalData[TraceParentAnnotation] = request.TraceParent;

        return new ArgoWorkflow
        {
            Metadata = new ObjectMeta { Name = request.Name, Labels = labels, Annotations = annotations },
            Spec = new WorkflowSpec
            {
                WorkflowTemplateRef = new WorkflowTemplateRef { Name = options.WorkflowTemplate },
                Arguments = new Arguments
                {
                    Parameters =
                    [
                        new Parameter { Name = "purchase_id", Value = request.PurchaseId.ToString("D") },
                        new Parameter { Name = "user", Value = request.User },
                        new Parameter { Name = "retailer_id", Value = request.RetailerId },
                        new Parameter { Name = "traceparent", Value = request.TraceParent ?? "" },
                    ],
                },
            },
        };

        void AddLabel(string key, string raw)
        {
            if (KubernetesLabels.ValueFrom(raw) is { } value) labels.AdditionalData[key] = value;
        }
    }

    CreateOutcome Verify(WorkflowRequest request, ArgoWorkflow? existing)
    {
        if (existing?.Metadata is null)
            return Log(request, new CreateOutcome.Failed(null, "409 on create, then an empty read-back", null), "read-back");

        object? label = null;
        existing.Metadata.Labels?.AdditionalData.TryGetValue(PurchaseIdLabel, out label);
        // Kiota turns GUID-looking map values into System.Guid (argo.md §6).
        var owner = label switch
        {
            null => null,
            Guid g => g.ToString("D"),
            _ => Convert.ToString(label, CultureInfo.InvariantCulture),
        };
        if (Guid.TryParse(owner, out var id) && id == request.PurchaseId)
        {
            logger.LogDebug("Argo workflow {WorkflowName} ({Uid}) in {Namespace} already exists for purchase {PurchaseId}",
                request.Name, existing.Metadata.Uid, options.Namespace, request.PurchaseId);
            return new CreateOutcome.AlreadyExists(existing.Metadata.Uid);
        }

        var error = owner is null
            ? $"workflow name collision: {request.Name} already exists in {options.Namespace} without a {PurchaseIdLabel} label"
            : $"workflow name collision: {request.Name} already exists in {options.Namespace} and belongs to purchase {owner}";
        logger.LogError("Argo workflow {WorkflowName} in {Namespace} is not purchase {PurchaseId}'s: {Error}",
            request.Name, options.Namespace, request.PurchaseId, error);
        return new CreateOutcome.NameCollision(Shorten(error));
    }

    /// <summary>The failure an exception stands for; null for what must propagate (our caller's cancellation, bugs).</summary>
    CreateOutcome.Failed? FailureOf(Exception e, CancellationToken ct) => e switch
    {
        ApiException api => new CreateOutcome.Failed(
            api.ResponseStatusCode > 0 ? api.ResponseStatusCode : null, Describe(api), RetryAfterOf(api)),
        OperationCanceledException or TimeoutException when !ct.IsCancellationRequested =>
            new CreateOutcome.Failed(null, $"timeout after {options.Timeout.TotalSeconds:0.###}s", null),
        HttpRequestException h => new CreateOutcome.Failed((int?)h.StatusCode, Describe(h), null),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException when options.Token is null =>
            new CreateOutcome.Failed(null, Shorten($"cannot read Argo:TokenFile: {e.Message}"), null),
        IOException => new CreateOutcome.Failed(null, Shorten($"request failed: {e.Message}"), null),
        // An answer Kiota cannot read (e.g. a 200 that is not JSON).
        InvalidOperationException or JsonException => new CreateOutcome.Failed(null, Shorten($"unreadable Argo response: {e.Message}"), null),
        _ => null,
    };

    static string Describe(ApiException e)
    {
        var message = (e as ArgoError)?.MessageEscaped;
        return Shorten(string.IsNullOrWhiteSpace(message) ? $"HTTP {e.ResponseStatusCode}" : $"HTTP {e.ResponseStatusCode}: {message}");
    }

    static string Describe(HttpRequestException e) => Shorten(e.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => $"connection failed: {e.Message}",
        HttpRequestError.NameResolutionError => $"name resolution failed: {e.Message}",
        // The inner exception says why, e.g. that the certificate does not chain to Argo:CaFile or the system's roots.
        HttpRequestError.SecureConnectionError => $"TLS failed: {e.InnerException?.Message ?? e.Message}",
        _ => $"request failed: {e.Message}",
    });

    TimeSpan? RetryAfterOf(ApiException e)
    {
        var raw = e.ResponseHeaders
            .FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (raw is null || !RetryConditionHeaderValue.TryParse(raw, out var value)) return null;
        if (value.Delta is { } delta) return delta;
        if (value.Date is { } date) return date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero;
        return null;
    }

    CreateOutcome.Failed Log(WorkflowRequest request, CreateOutcome.Failed failed, string step)
    {
        logger.LogWarning("Argo {Step} of workflow {WorkflowName} in {Namespace} failed ({Status}): {Error}; retry after {RetryAfter}",
            step, request.Name, options.Namespace, failed.Status, failed.Error, failed.RetryAfter);
        return failed;
    }

    /// <summary>An error as the outbox and the logs keep it: at most 300 characters.</summary>
    internal static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 1)] + "…";

    public void Dispose() => http?.Dispose();
}
