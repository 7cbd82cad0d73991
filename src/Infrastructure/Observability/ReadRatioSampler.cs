using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Purchases.Infrastructure.Observability;

/// <summary>
/// The root sampler behind <see cref="ParentBasedSampler"/>: a new trace is recorded, except one that starts with an
/// HTTP read (GET, HEAD), which is recorded at <c>Tracing:ReadSampleRatio</c> by trace id (as OpenTelemetry's ratio
/// sampler does, so a read's spans are all kept or all dropped). A read left out is a bare propagation context from
/// the start: no span data is gathered for it, nor for its database statements.
/// </summary>
/// <remarks>
/// ASP.NET Core gives a sampler no request tags, but it has made the request's HttpContext (and set
/// <see cref="IHttpContextAccessor"/>) by the time it samples its request span.
/// </remarks>
public sealed class ReadRatioSampler(double readRatio, IHttpContextAccessor requests) : Sampler
{
    static readonly SamplingResult Record = new(SamplingDecision.RecordAndSample);
    readonly TraceIdRatioBasedSampler reads = new(Math.Clamp(readRatio, 0, 1));

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Kind == ActivityKind.Server && requests.HttpContext?.Request.Method is "GET" or "HEAD"
            ? reads.ShouldSample(parameters)
            : Record;
}
