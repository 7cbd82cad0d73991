using System.Buffers.Binary;
using System.Diagnostics;

namespace Purchases.Infrastructure.Observability;

/// <summary>
/// Which requests' spans are recorded: every write's (submit, update, the report-back, operators' actions, and so the
/// outbox and reconciler work that continues their traces), and a share of the reads (GET, HEAD) at
/// <c>Tracing:ReadSampleRatio</c>, chosen by trace id as OpenTelemetry's ratio sampler does, so a read's spans are
/// all kept or all dropped. A dropped read still has its trace id (in the logs) and leaves no span, nor do its
/// database statements.
/// </summary>
/// <remarks>
/// Applied as the ASP.NET Core instrumentation's filter, so a read left out still has its request span made with all
/// its data, then dropped. ASP.NET Core gives a sampler no request tags, but an <c>IHttpContextAccessor</c> has the
/// request by then: a sampler deciding there would make a left-out read cheaper (not yet measured, so not yet done).
/// </remarks>
public static class ReadSampling
{
    public static bool ShouldRecord(HttpRequest request, double readRatio) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) ||
        readRatio >= 1 || (readRatio > 0 && Activity.Current is { } activity && InRatio(activity.TraceId, readRatio));

    /// <summary>The trace id's last 8 bytes as a number below the ratio's share of <see cref="long.MaxValue"/>.</summary>
    static bool InRatio(ActivityTraceId traceId, double ratio)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        var value = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]) & long.MaxValue;
        return value < (long)(ratio * long.MaxValue);
    }
}
