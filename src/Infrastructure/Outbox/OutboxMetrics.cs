using System.Diagnostics.Metrics;
using NodaTime;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Infrastructure.Outbox;

/// <summary>The <c>Purchases.Outbox</c> meter (read it with dotnet-counters or any OpenTelemetry exporter).</summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "Purchases.Outbox";
    readonly Counter<long> _submissions;
    readonly Histogram<double> _argoDuration;
    readonly Histogram<double> _webhookDuration;
    readonly Histogram<double> _lag;
    OutboxBacklog _last = OutboxBacklog.Empty;

    public OutboxMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _submissions = meter.CreateCounter<long>("purchases.outbox.submissions",
            description: "Attempts by kind (argo.workflow.create, webhook.delivery) and result");
        _argoDuration = meter.CreateHistogram<double>("purchases.outbox.argo.duration", "s", "Duration of Argo create calls");
        _webhookDuration = meter.CreateHistogram<double>("purchases.webhooks.delivery.duration", "s",
            "Duration of webhook delivery attempts, by outcome");
        _lag = meter.CreateHistogram<double>("purchases.outbox.lag", "s",
            "From the entry's commit to its workflow's creation or its webhook's delivery, by kind");
        // No "submitted": counting a week of them cost every probe of every instance the whole table; submissions are
        // counted as they happen (purchases.outbox.submissions), and the operators' stats count them on demand.
        meter.CreateObservableGauge("purchases.outbox.entries", () => new[]
        {
            new Measurement<long>(_last.Pending, new KeyValuePair<string, object?>("state", "pending")),
            new Measurement<long>(_last.Failed, new KeyValuePair<string, object?>("state", "failed")),
        }, description: "Outbox entries pending or failed, as of the readiness probe's last count");
        meter.CreateObservableGauge("purchases.outbox.oldest_pending_age", () => _last.OldestPendingAgeSeconds, "s",
            "Age of the oldest pending entry, as of the readiness probe's last count");
    }

    public void ArgoCallDuration(TimeSpan elapsed, CreateOutcome outcome) =>
        _argoDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome.GetType().Name));

    public void WebhookCallDuration(TimeSpan elapsed, WebhookDeliverer.Outcome outcome) =>
        _webhookDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            WebhookDeliverer.Outcome.Delivered => "delivered",
            WebhookDeliverer.Outcome.Failed { Status: { } status } => $"{status / 100}xx",
            _ => "no_answer",
        }));

    public void Submitted(string kind, string result, Duration lag)
    {
        _submissions.Add(1, new("kind", kind), new("result", result));
        _lag.Record(lag.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Failed(string kind, bool final) =>
        _submissions.Add(1, new("kind", kind), new("result", final ? "failed" : "retry"));

    public void Observe(OutboxBacklog backlog) => _last = backlog;
}
