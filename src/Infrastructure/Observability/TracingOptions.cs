using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Observability;

public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>
    /// The share of read requests (GET, HEAD) whose traces are recorded, 0–1. Writes (submit, update, the report-back,
    /// operators' actions) and the outbox and reconciler work that follows them are always recorded; reads are the bulk
    /// of the traffic and the least of what an operator follows. <c>OTEL_TRACES_SAMPLER</c> still decides first (the
    /// SDK's default: every trace, or the caller's decision when it sends a <c>traceparent</c>).
    /// </summary>
    [Range(0.0, 1.0)] public double ReadSampleRatio { get; set; } = 0.1;
}
