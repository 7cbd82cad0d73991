using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Argo;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Argo;

/// <summary>The real <see cref="IArgoWorkflows"/>, wired by <see cref="ArgoRegistration"/>, against a <see cref="FakeArgo"/>.</summary>
public sealed class ArgoWorkflowsTests : IAsyncLifetime
{
    FakeArgo argo = null!;
    readonly List<ServiceProvider> providers = [];

    public async ValueTask InitializeAsync() => argo = await FakeArgo.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers) await provider.DisposeAsync();
        await argo.DisposeAsync();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    IServiceProvider Services(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Argo:BaseUrl"] = argo.BaseUrl.ToString(),
            ["Argo:Namespace"] = "energy",
            ["Argo:WorkflowTemplate"] = "purchase-strategy-v2",
        };
        foreach (var (key, value) in settings) values[key] = value;
        var services = new ServiceCollection()
            .AddLogging()
            .AddArgo(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        providers.Add(provider);
        return provider;
    }

    IArgoWorkflows Client(params (string Key, string? Value)[] settings) =>
        Services(settings).GetRequiredService<IArgoWorkflows>();

    const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    static WorkflowRequest Request(Guid? id = null, string user = "alice", string retailer = "RET-001")
    {
        var purchaseId = id ?? Guid.NewGuid();
        return new WorkflowRequest($"purchase-{purchaseId:D}", purchaseId, user, retailer, TraceParent);
    }

    static string? Label(JsonElement workflow, string key) =>
        workflow.GetProperty("metadata").GetProperty("labels").TryGetProperty(key, out var value) ? value.GetString() : null;

    static string? Annotation(JsonElement workflow, string key) =>
        workflow.GetProperty("metadata").GetProperty("annotations").GetProperty(key).GetString();

    [Fact]
    public async Task A_new_workflow_is_created_from_the_template_with_labels_annotations_and_parameters()
    {
        var request = Request();

        var outcome = await Client().CreateAsync(request, Ct);

        var workflow = argo.Workflows[request.Name];
        var created = Assert.IsType<CreateOutcome.Created>(outcome);
        Assert.Equal(workflow.GetProperty("metadata").GetProperty("uid").GetString(), created.Uid);
        Assert.NotNull(created.Uid);
        Assert.Equal("energy", argo.LastNamespace);
        Assert.Null(argo.LastAuthorization);
        Assert.Equal([request.Name], argo.CreatedNames);

        var metadata = workflow.GetProperty("metadata");
        Assert.Equal(request.Name, metadata.GetProperty("name").GetString());
        Assert.False(metadata.TryGetProperty("generateName", out _));
        Assert.Equal(request.PurchaseId.ToString("D"), Label(workflow, "purchases/purchase-id"));
        Assert.Equal("alice", Label(workflow, "purchases/user"));
        Assert.Equal("RET-001", Label(workflow, "purchases/retailer-id"));
        Assert.Equal("purchase-strategy-v2", Label(workflow, "workflows.argoproj.io/workflow-template"));
        Assert.Equal("alice", Annotation(workflow, "purchases/user"));
        Assert.Equal("RET-001", Annotation(workflow, "purchases/retailer-id"));
        Assert.Equal(TraceParent, Annotation(workflow, "purchases/traceparent"));

        var spec = workflow.GetProperty("spec");
        Assert.Equal("purchase-strategy-v2", spec.GetProperty("workflowTemplateRef").GetProperty("name").GetString());
        var parameters = spec.GetProperty("arguments").GetProperty("parameters").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("value").GetString()));
        Assert.Equal(
            [("purchase_id", request.PurchaseId.ToString("D")), ("user", "alice"), ("retailer_id", "RET-001"), ("traceparent", TraceParent)],
            parameters);
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_header()
    {
        await Client(("Argo:Token", "Bearer sa-token-1")).CreateAsync(Request(), Ct);

        Assert.Equal("Bearer sa-token-1", argo.LastAuthorization);
    }

    [Fact]
    public async Task The_token_file_is_read_at_each_call()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "projected-1\n", Ct);
            var client = Client(("Argo:TokenFile", file));
            await client.CreateAsync(Request(), Ct);
            Assert.Equal("Bearer projected-1", argo.LastAuthorization);

            await File.WriteAllTextAsync(file, "projected-2", Ct);
            await client.CreateAsync(Request(), Ct);
            Assert.Equal("Bearer projected-2", argo.LastAuthorization);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_token_file_is_a_failure_and_nothing_is_sent()
    {
        var outcome = await Client(("Argo:TokenFile", "/nonexistent/argo-token")).CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Null(failed.Status);
        Assert.StartsWith("cannot read Argo:TokenFile", failed.Error);
        Assert.Equal(0, argo.CreateCalls);
    }

    [Fact]
    public async Task A_409_with_our_label_is_already_exists()
    {
        var request = Request();
        argo.Seed(request.Name, request.PurchaseId);
        var uid = argo.Workflows[request.Name].GetProperty("metadata").GetProperty("uid").GetString();

        var outcome = await Client().CreateAsync(request, Ct);

        Assert.Equal(new CreateOutcome.AlreadyExists(uid), outcome);
        Assert.Equal("metadata.name,metadata.uid,metadata.labels", argo.LastFields);
        Assert.Equal(1, argo.CreateCalls);
        Assert.Empty(argo.CreatedNames);
    }

    [Fact]
    public async Task Creating_the_same_purchase_twice_makes_one_workflow()
    {
        var request = Request();
        var client = Client();

        var first = await client.CreateAsync(request, Ct);
        var second = await client.CreateAsync(request, Ct);

        var uid = Assert.IsType<CreateOutcome.Created>(first).Uid;
        Assert.Equal(new CreateOutcome.AlreadyExists(uid), second);
        Assert.Equal([request.Name], argo.CreatedNames);
    }

    [Fact]
    public async Task A_409_with_another_purchases_label_is_a_name_collision()
    {
        var request = Request();
        var other = Guid.NewGuid();
        argo.Seed(request.Name, other);

        var outcome = await Client().CreateAsync(request, Ct);

        var collision = Assert.IsType<CreateOutcome.NameCollision>(outcome);
        Assert.StartsWith("workflow name collision: ", collision.Error);
        Assert.Contains($"belongs to purchase {other:D}", collision.Error);
    }

    [Fact]
    public async Task A_409_whose_workflow_is_gone_on_read_back_is_a_failure()
    {
        argo.EnqueueCreateResponse(409);

        var outcome = await Client().CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Equal(404, failed.Status);
        Assert.Contains("read-back", failed.Error);
        Assert.Contains("not found", failed.Error);
    }

    [Fact]
    public async Task A_500_is_a_failure_with_argos_message()
    {
        argo.EnqueueCreateResponse(500);

        var outcome = await Client().CreateAsync(Request(), Ct);

        Assert.Equal(new CreateOutcome.Failed(500, "HTTP 500: fake argo: scripted HTTP 500", null), outcome);
    }

    [Fact]
    public async Task A_500_is_not_retried_by_the_client()
    {
        argo.EnqueueCreateResponse(500);

        await Client().CreateAsync(Request(), Ct);

        Assert.Equal(1, argo.CreateCalls);
        Assert.Empty(argo.Workflows);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task Statuses_that_kiota_would_retry_are_sent_once(int status)
    {
        argo.EnqueueCreateResponse(status, retryAfter: "1");

        var outcome = await Client().CreateAsync(Request(), Ct);

        Assert.Equal(status, Assert.IsType<CreateOutcome.Failed>(outcome).Status);
        Assert.Equal(1, argo.CreateCalls);
    }

    [Fact]
    public async Task A_429_with_retry_after_seconds_is_a_failure_with_that_delay()
    {
        argo.EnqueueCreateResponse(429, retryAfter: "7");

        var outcome = await Client().CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Equal(429, failed.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.RetryAfter);
    }

    [Fact]
    public async Task The_rate_limiters_text_429_with_an_http_date_is_a_failure_with_that_delay()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(30);
        argo.EnqueueCreateRawResponse(429, "text/plain; charset=utf-8", "Too Many Requests\n", at.ToString("R"));

        var outcome = await Client().CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Equal(429, failed.Status);
        Assert.InRange(failed.RetryAfter!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
        Assert.Equal(1, argo.CreateCalls);
    }

    [Fact]
    public async Task A_503_with_a_text_body_is_a_failure_with_its_status()
    {
        argo.EnqueueCreateRawResponse(503, "text/plain", "upstream connect error");

        var outcome = await Client().CreateAsync(Request(), Ct);

        Assert.Equal(new CreateOutcome.Failed(503, "HTTP 503", null), outcome);
    }

    [Fact]
    public async Task A_proxys_html_502_is_a_failure_with_its_status()
    {
        argo.EnqueueCreateRawResponse(502, "text/html", "<html><body>Bad Gateway</body></html>");

        var outcome = await Client().CreateAsync(Request(), Ct);

        Assert.Equal(502, Assert.IsType<CreateOutcome.Failed>(outcome).Status);
    }

    [Fact]
    public async Task A_200_that_is_not_json_is_a_failure_so_the_outbox_tries_again()
    {
        argo.EnqueueCreateRawResponse(200, "text/html", "<html><body>Sign in</body></html>");

        var outcome = await Client().CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Null(failed.Status);
        Assert.StartsWith("unreadable Argo response: ", failed.Error);
    }

    [Fact]
    public async Task A_slow_answer_is_a_timeout_failure_without_status()
    {
        argo.EnqueueCreateDelay(TimeSpan.FromSeconds(5));
        var client = Client(("Argo:Timeout", "00:00:01"));

        var watch = Stopwatch.StartNew();
        var outcome = await client.CreateAsync(Request(), Ct);

        Assert.Equal(new CreateOutcome.Failed(null, "timeout after 1s", null), outcome);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_failure()
    {
        argo.EnqueueCreateDelay(TimeSpan.FromSeconds(5));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().CreateAsync(Request(), cancel.Token));
    }

    [Fact]
    public async Task A_refused_connection_is_a_failure_without_status()
    {
        var client = Client(("Argo:BaseUrl", $"http://127.0.0.1:{ClosedPort()}/"));

        var outcome = await client.CreateAsync(Request(), Ct);

        var failed = Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Null(failed.Status);
        Assert.StartsWith("connection failed: ", failed.Error);
        Assert.Contains("refused", failed.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task User_and_retailer_labels_are_made_label_safe_and_the_raw_values_kept_as_annotations()
    {
        var retailer = "R" + new string('x', 98) + "!";
        var request = Request(user: "Trébol Energía/ES", retailer: retailer);

        await Client().CreateAsync(request, Ct);

        var workflow = argo.Workflows[request.Name];
        Assert.Equal("Tr_bol_Energ_a_ES", Label(workflow, "purchases/user"));
        Assert.Equal("R" + new string('x', 62), Label(workflow, "purchases/retailer-id"));
        Assert.Equal("Trébol Energía/ES", Annotation(workflow, "purchases/user"));
        Assert.Equal(retailer, Annotation(workflow, "purchases/retailer-id"));
    }

    [Fact]
    public async Task A_label_value_with_nothing_left_after_sanitizing_is_omitted()
    {
        var request = Request(user: "--ñ--", retailer: "_.shop._");

        await Client().CreateAsync(request, Ct);

        var workflow = argo.Workflows[request.Name];
        Assert.Null(Label(workflow, "purchases/user"));
        Assert.Equal("shop", Label(workflow, "purchases/retailer-id"));
        Assert.Equal("--ñ--", Annotation(workflow, "purchases/user"));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("a b", "a_b")]
    [InlineData("-._x._-", "x")]
    [InlineData("é", null)]
    [InlineData("", null)]
    public void Label_values_are_sanitized(string raw, string? expected) =>
        Assert.Equal(expected, KubernetesLabels.ValueFrom(raw));

    [Fact]
    public void A_truncated_label_value_does_not_end_with_punctuation() =>
        Assert.Equal(new string('a', 62), KubernetesLabels.ValueFrom(new string('a', 62) + "-b"));

    [Fact]
    public async Task Concurrent_creates_of_different_purchases_all_succeed()
    {
        var client = Client();
        var requests = Enumerable.Range(0, 20).Select(_ => Request()).ToArray();

        var outcomes = await Task.WhenAll(requests.Select(r => client.CreateAsync(r, Ct)));

        Assert.All(outcomes, o => Assert.IsType<CreateOutcome.Created>(o));
        Assert.Equal(requests.Select(r => r.Name).Order(), argo.CreatedNames.Order());
    }

    [Fact]
    public async Task Without_a_base_url_nothing_is_sent()
    {
        var services = Services(("Argo:BaseUrl", null));

        var outcome = await services.GetRequiredService<IArgoWorkflows>().CreateAsync(Request(), Ct);

        Assert.False(services.GetRequiredService<IOptions<ArgoOptions>>().Value.IsConfigured);
        Assert.IsType<CreateOutcome.Failed>(outcome);
        Assert.Equal(0, argo.CreateCalls);
    }

    [Theory]
    [InlineData("Argo:Namespace", "", "Argo:Namespace")]
    [InlineData("Argo:WorkflowTemplate", " ", "Argo:WorkflowTemplate")]
    [InlineData("Argo:BaseUrl", "argo-server:2746", "Argo:BaseUrl")]
    public void Bad_settings_are_rejected_when_the_options_are_read(string key, string value, string message)
    {
        var services = Services((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ArgoOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Create_read_and_retry_conform_to_argos_upstream_document()
    {
        var client = Client();
        var request = Request();
        Assert.IsType<CreateOutcome.Created>(await client.CreateAsync(request, Ct));
        argo.SetPhase(request.Name, "Failed", "boom");

        Assert.IsType<WorkflowReading.Found>(await client.ReadAsync(request.Name, Ct));
        Assert.IsType<RetryOutcome.Retried>(await client.RetryAsync(request.Name, Ct));
        Assert.IsType<CreateOutcome.AlreadyExists>(await client.CreateAsync(request, Ct));

        Assert.Empty(argo.NonConforming);
    }

    [Fact]
    public async Task The_fake_argo_refuses_what_argos_document_does_not_have()
    {
        using var http = new HttpClient { BaseAddress = argo.BaseUrl };

        var unknownPath = await http.GetAsync("/api/v1/workflows/argo/x/frobnicate", Ct);
        var unknownQuery = await http.GetAsync("/api/v1/workflows/argo/x?feilds=status.phase", Ct);
        var unknownField = await http.PostAsync("/api/v1/workflows/argo",
            new StringContent("""{"workflow": {"metadata": {"name": "w"}, "spec": {"entrypoint": "main", "templateRef": "x"}}}""",
                System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.All(new[] { unknownPath, unknownQuery, unknownField }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains(argo.NonConforming, p => p.Contains("frobnicate"));
        Assert.Contains(argo.NonConforming, p => p.Contains("'feilds'"));
        Assert.Contains(argo.NonConforming, p => p.Contains("body.workflow.spec.templateRef"));
        Assert.Empty(argo.Workflows);
    }

    [Theory]
    [InlineData("Failed", typeof(RetryOutcome.Retried))]
    [InlineData("Running", typeof(RetryOutcome.Refused))]
    public async Task Retry_is_argos_answer_for_the_phase(string phase, Type expected)
    {
        var client = Client();
        var request = Request();
        await client.CreateAsync(request, Ct);
        argo.SetPhase(request.Name, phase);

        var outcome = await client.RetryAsync(request.Name, Ct);

        Assert.IsType(expected, outcome);
        if (outcome is RetryOutcome.Refused refused) Assert.Equal("Cannot retry a workflow in phase Running", refused.Message);
        Assert.IsType<RetryOutcome.NotFound>(await client.RetryAsync("purchase-gone", Ct));
        Assert.IsType<WorkflowReading.NotFound>(await client.ReadAsync("purchase-gone", Ct));
    }
}
