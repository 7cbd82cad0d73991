using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// A draining service instance whose spans are also kept in memory (the OpenTelemetry in-memory exporter).
/// </summary>
public sealed class TracingApiFactory : DrainingApiFactory
{
    readonly List<Activity> spans = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
    }

    /// <summary>
    /// The spans once <paramref name="ready"/> holds for them (at most 5 s): a request's server span ends a moment after
    /// its client has the response.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> SpansWhenAsync(Func<IReadOnlyList<Activity>, bool> ready)
    {
        var spans = Spans;
        for (var i = 0; i < 50 && !ready(spans); i++)
        {
            await Task.Delay(100);
            spans = Spans;
        }
        return spans;
    }

    /// <summary>Every span ended so far, after a flush.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            Services.GetRequiredService<TracerProvider>().ForceFlush();
            lock (spans) return [.. spans];
        }
    }

    public void ClearSpans()
    {
        lock (spans) spans.Clear();
    }
}
