using System.Diagnostics;
using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Observability;

/// <summary>With <c>Tracing:ReadSampleRatio</c> at 0, reads leave no span, while every write's trace is recorded whole.</summary>
public sealed class TraceSamplingTests(ApiFactory api, TraceSamplingTests.UntracedReadsApiFactory service)
    : ApiTest(api), IClassFixture<TraceSamplingTests.UntracedReadsApiFactory>
{
    public sealed class UntracedReadsApiFactory : TracingApiFactory
    {
        protected override double ReadSampleRatio => 0.0;
    }

    [Fact]
    public async Task Reads_are_not_recorded_writes_and_their_argo_create_are()
    {
        service.Argo.Reset();
        service.ClearSpans();
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var (id, _) = await new WorkflowScenarios(Api, service, customer).SubmittedAsync();

        var get = await service.CreateClient().WithToken(customer).GetPurchaseAsync("trebolenergia", id);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        var spans = service.Spans;
        var names = string.Join(", ", spans.Select(s => $"{s.Kind} {s.DisplayName}"));
        Assert.DoesNotContain(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("GET", StringComparison.Ordinal));
        var submit = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("submit-purchase"));
        var create = Assert.Single(spans, s => s.DisplayName == "argo.workflow.create");
        Assert.Equal(submit.TraceId, create.TraceId);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == create.SpanId);
        Assert.True(spans.Count > 2, names);
    }
}
