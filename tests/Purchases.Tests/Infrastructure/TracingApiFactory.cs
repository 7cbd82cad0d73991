using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// A draining service instance whose spans are also kept in memory (the OpenTelemetry in-memory exporter), with every
/// read traced too (<c>Tracing:ReadSampleRatio</c>), unless a subclass says otherwise.
/// </summary>
public class TracingApiFactory : DrainingApiFactory
{
    readonly List<Activity> spans = [];

    protected virtual double ReadSampleRatio => 1.0;

    protected override IEnumerable<(string Key, string Value)> ExtraSettings =>
        [("Tracing:ReadSampleRatio", ReadSampleRatio.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
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
