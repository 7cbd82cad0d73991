using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Observability;

/// <summary>
/// One trace per purchase: the submit, the Argo create (the fake Argo receives the traceparent) and the workflow's
/// report-back share a trace id; the reconciler's spans link to it; and no exported attribute holds a secret.
/// </summary>
public sealed class TracingTests(ApiFactory api, TracingApiFactory service) : ApiTest(api), IClassFixture<TracingApiFactory>
{
    const string Completed = """{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}""";
    string _customer = "", _worker = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        service.ClearSpans();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _worker = await Api.IssueTokenAsync("worker", "argo");
    }

    WorkflowScenarios Scenarios => new(Api, service, _customer);

    static string TraceIdOf(string traceParent) => traceParent.Split('-')[1];

    [Fact]
    public async Task Submit_argo_create_and_report_back_are_one_trace()
    {
        var (id, workflow) = await Scenarios.SubmittedAsync();
        var stored = await Api.ScalarAsync<string>("SELECT trace_parent FROM outbox_entries WHERE purchase_id = $1", id);
        var traceId = TraceIdOf(stored);

        // The fake Argo got the traceparent on the create, and the workflow carries it for its report-back.
        Assert.NotNull(service.Argo.LastTraceParent);
        Assert.Equal(traceId, TraceIdOf(service.Argo.LastTraceParent));
        var parameters = service.Argo.Workflows[workflow].GetProperty("spec").GetProperty("arguments").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString()!);
        Assert.Equal(traceId, TraceIdOf(parameters["traceparent"]));

        // The report step sends that traceparent (deploy/argo/workflowtemplate.yaml), as this request does.
        var report = new HttpRequestMessage(HttpMethod.Put, $"/api/v0/user/trebolenergia/purchase/{id}/update")
            { Content = Json(Completed) };
        report.Headers.Add("traceparent", parameters["traceparent"]);
        Assert.Equal(HttpStatusCode.OK, (await service.CreateClient().WithToken(_worker).SendAsync(report, Ct)).StatusCode);

        // Listeners are process-wide: other tests' services' spans come here too, so only this trace's are looked at.
        var spans = (await service.SpansWhenAsync(all => all.Any(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("update")
                && s.TraceId.ToHexString() == traceId)))
            .Where(s => s.TraceId.ToHexString() == traceId).ToList();
        var names = string.Join(", ", spans.Select(s => $"{s.Kind} {s.DisplayName}"));
        Assert.True(spans.Count(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("submit-purchase")) == 1, names);
        var submit = spans.Single(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("submit-purchase"));
        var create = Assert.Single(spans, s => s.DisplayName == "argo.workflow.create");
        var update = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("update"));
        Assert.All(new[] { submit, create, update }, s => Assert.Equal(traceId, s.TraceId.ToHexString()));
        Assert.Equal(submit.SpanId, create.ParentSpanId);
        // The create is the client span of the call to Argo; the HTTP client's own span under it is not recorded.
        Assert.Equal(ActivityKind.Client, create.Kind);
        Assert.DoesNotContain(spans, s => s.ParentSpanId == create.SpanId && s.Kind == ActivityKind.Client);
        Assert.Equal(create.SpanId, update.ParentSpanId); // the report-back carries the create's traceparent

        // The submit's transaction is one client span of ours, with no Npgsql span per statement under it.
        var store = Assert.Single(spans, s => s.DisplayName == "purchase.store");
        Assert.Equal(submit.SpanId, store.ParentSpanId);
        Assert.Equal(ActivityKind.Client, store.Kind);
        Assert.Equal("postgresql", store.GetTagItem("db.system.name"));
        Assert.Equal(await Api.ScalarAsync<int>("SELECT rows_uploaded FROM purchases WHERE id = $1", id), store.GetTagItem("purchases.rows"));
        Assert.DoesNotContain(spans, s => s.ParentSpanId == store.SpanId);
    }

    [Fact]
    public async Task The_reconcilers_span_links_to_each_purchases_trace()
    {
        var (first, firstWorkflow) = await Scenarios.SubmittedAsync();
        var (second, secondWorkflow) = await Scenarios.SubmittedAsync();
        service.Argo.SetPhase(firstWorkflow, "Running");
        service.Argo.SetPhase(secondWorkflow, "Running");

        await service.ReconcileAsync();

        var expected = new[] { first, second }.Select(id =>
            TraceIdOf(Api.ScalarAsync<string>("SELECT trace_parent FROM outbox_entries WHERE purchase_id = $1", id).Result)).Order().ToList();
        var batch = Assert.Single(service.Spans, s => s.DisplayName == "reconcile.batch"
            && s.Links.Any(l => expected.Contains(l.Context.TraceId.ToHexString())));
        Assert.Equal(expected, batch.Links.Select(l => l.Context.TraceId.ToHexString()).Order());
    }

    [Fact]
    public async Task No_token_authorization_header_or_body_is_in_any_exported_attribute()
    {
        var (id, workflow) = await Scenarios.SubmittedAsync();
        await service.CreateClient().WithToken(_worker).UpdateAsync("trebolenergia", id, Completed);
        await service.CreateClient().WithToken(_customer).GetPurchaseAsync("trebolenergia", id);
        await service.CreateClient().WithToken("pur_not-a-real-token-but-secret-looking-000000000").GetPurchaseAsync("trebolenergia", id);

        var spans = await service.SpansWhenAsync(all =>
            all.Count(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("GET", StringComparison.Ordinal)) >= 2);
        var values = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}"))))
            .ToList();

        Assert.NotEmpty(values);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("GET", StringComparison.Ordinal));
        foreach (var secret in new[] { _customer, _worker, "pur_not-a-real-token", "Bearer", "\"purchase\":", "idmodel" })
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(values, v => v.StartsWith("http.request.header.authorization", StringComparison.OrdinalIgnoreCase));
        _ = workflow;
    }
}
