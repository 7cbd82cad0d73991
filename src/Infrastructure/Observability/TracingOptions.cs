using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Observability;

public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>
    /// The share of read requests (GET, HEAD) whose traces are recorded, 0–1. Writes (submit, update, the report-back,
    /// operators' actions) and the outbox and reconciler work that follows them are always recorded; reads are the bulk
    /// of the traffic and the least of what an operator follows. <c>OTEL_TRACES_SAMPLER</c>, when set, replaces this;
    /// a read whose caller sends a sampled <c>traceparent</c> follows the caller.
    /// </summary>
    [Range(0.0, 1.0)] public double ReadSampleRatio { get; set; } = 0.1;
}
