using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Infrastructure.Observability;

public static class ObservabilityRegistration
{
    const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry: traces (ASP.NET Core, HttpClient, Npgsql and our own spans; every write's trace, a share of the
    /// reads': <see cref="ReadRatioSampler"/>) and metrics (the same, the runtime,
    /// and the <c>Purchases.Outbox</c> meter). Both go over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK
    /// reads the standard <c>OTEL_*</c> variables); spans are made either way, so the <c>traceparent</c> travels.
    /// Metrics are also served to Prometheus at <c>/metrics</c>: on the API's port, or alone on <c>Metrics:Port</c>.
    /// Logs carry the trace and span ids in their scope.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var metrics = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        var tracing = builder.Configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]);
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: "purchases"))
            .WithTracing(t =>
            {
                t.AddSource(PurchasesTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsInfrastructure(http.Request.Path))
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage =
                        _ => !PurchasesTelemetry.IsInsideOwnClientSpan(System.Diagnostics.Activity.Current))
                    .AddNpgsql();
                // The SDK reads OTEL_TRACES_SAMPLER itself when no sampler is set here.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]))
                    t.SetSampler(services => new ParentBasedSampler(
                        new ReadRatioSampler(tracing.ReadSampleRatio, services.GetRequiredService<IHttpContextAccessor>())));
                if (exportOtlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(OutboxMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                ((IDeferredMeterProviderBuilder)m).Configure((services, provider) =>
                    provider.AddView(OnlyThisHostsMeters(services.GetRequiredService<IMeterFactory>())));
                if (metrics.Port is { } port)
                    m.AddPrometheusHttpListener(o => (o.Host, o.Port, o.ScrapeEndpointPath) = (metrics.Host, port, "/metrics"));
                else
                    m.AddPrometheusExporter();
                if (exportOtlp) m.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary><c>/metrics</c> on the API's port, unless <c>Metrics:Port</c> serves it alone; no Bearer token either way.</summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port is null)
            app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>
    /// A meter provider listens to every meter of its names in the process. Where two hosts share a process (the
    /// tests do), the other's instruments would be merged into ours, and disposing that host would remove our series
    /// with its own: only meters of no host (the runtime's, Npgsql's) or of this host are read.
    /// </summary>
    static Func<Instrument, MetricStreamConfiguration?> OnlyThisHostsMeters(IMeterFactory ours) => instrument =>
        instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, ours) ? MetricStreamConfiguration.Drop : null;

    static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
