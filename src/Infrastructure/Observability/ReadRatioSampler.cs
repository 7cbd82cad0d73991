using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Purchases.Infrastructure.Observability;

/// <summary>
/// The root sampler behind <see cref="ParentBasedSampler"/>: a new trace is always recorded, except one that starts
/// with an HTTP read, which is recorded at <c>Tracing:ReadSampleRatio</c> (by trace id, so consistently across services).
/// A purchase's later steps follow the decision of its stored <c>traceparent</c>, a submit's, so they are recorded too.
/// </summary>
/// <remarks>
/// ASP.NET Core gives its request span no tags before sampling, but it has made the request's HttpContext (and set
/// <see cref="IHttpContextAccessor"/>) by then, so the method comes from there.
/// </remarks>
public sealed class ReadRatioSampler(double readRatio, IHttpContextAccessor requests) : Sampler
{
    static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);
    readonly TraceIdRatioBasedSampler reads = new(readRatio);

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Kind == ActivityKind.Server && requests.HttpContext?.Request.Method is "GET" or "HEAD"
            ? reads.ShouldSample(parameters)
            : Sample;
}
