using System.Net;
using System.Net.Sockets;
using Purchases.Tests.Faults;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Observability;

/// <summary><c>/metrics</c> in Prometheus' text format, without the API's Bearer auth, or on a management port.</summary>
public sealed class MetricsEndpointTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task After_some_traffic_metrics_has_the_outbox_http_and_runtime_series_without_a_token()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");
        var id = await Api.ClientFor(token).SubmitAsync("trebolenergia");
        await Api.ClientFor(token).GetPurchaseAsync("trebolenergia", id);
        await Api.CreateClient().GetAsync("/readyz", Ct);

        var response = await Api.CreateClient().GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        foreach (var series in new[]
                 {
                     "purchases_outbox_entries{", "purchases_outbox_oldest_pending_age_seconds", "purchases_workflows_stuck",
                     "purchases_reconcile_lag_seconds", "http_server_request_duration_seconds_bucket{", "dotnet_gc_collections_total",
                     "db_client_operation_duration_seconds_bucket{",
                 })
            Assert.Contains(series, text);
        Assert.Matches(@"(?m)^# TYPE \S+ (counter|gauge|histogram)$", text);
    }

    [Fact]
    public async Task Another_service_in_the_same_process_coming_and_going_leaves_this_ones_series_in_place()
    {
        Assert.Contains("purchases_outbox_entries{", await ScrapeAfterReadinessAsync(Api.CreateClient()));
        await using (var other = Api.WithWebHostBuilder(_ => { }))
            Assert.Contains("purchases_outbox_entries{", await ScrapeAfterReadinessAsync(other.CreateClient()));

        // A disposed service's instruments are dropped at the next collection; the series must survive both.
        await ScrapeAfterReadinessAsync(Api.CreateClient());
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // past the exporter's scrape cache
        var text = await ScrapeAfterReadinessAsync(Api.CreateClient());

        foreach (var series in new[] { "purchases_outbox_entries{", "purchases_reconcile_lag_seconds", "http_server_request_duration_seconds_bucket{" })
            Assert.Contains(series, text);
    }

    async Task<string> ScrapeAfterReadinessAsync(HttpClient client)
    {
        await client.GetAsync("/readyz", Ct);
        return await client.GetStringAsync("/metrics", Ct);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_a_management_port_metrics_is_served_there_and_not_on_the_api_port()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FaultDatabase.StartAsync();
        var port = FreePort();
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Metrics:Port"] = port.ToString(), ["Metrics:Host"] = "127.0.0.1",
        }, ct: ct);
        using var client = service.CreateClient();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var onApi = await client.GetAsync("/metrics", ct);
        var onManagement = await management.GetAsync("/metrics", ct);

        Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
        Assert.Contains("purchases_outbox_entries", await onManagement.Content.ReadAsStringAsync(ct));
    }

    static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
