using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Deploy;

/// <summary>
/// deploy/monitoring: the alert rules are valid and fire as they should (promtool), and the dashboard and the rules
/// query only metrics the service exports (scraped from /metrics after every instrument has recorded something).
/// </summary>
public sealed class MonitoringTests(ApiFactory api, DrainingApiFactory service, WatchingApiFactory watching)
    : ApiTest(api), IClassFixture<DrainingApiFactory>, IClassFixture<WatchingApiFactory>
{
    const string Rules = "deploy/monitoring/prometheusrule.yaml";
    const string RuleTests = "deploy/monitoring/prometheusrule.test.yaml";
    const string Dashboard = "deploy/monitoring/grafana-dashboard.json";

    // Metric names are the identifiers with the service's prefixes; PromQL functions, labels and values have none.
    static readonly Regex MetricName = new(@"\b(?:purchases|http_server|db_client|dotnet|kestrel|aspnetcore)_[a-z0-9_]+\b");

    static IEnumerable<string> DashboardExpressions() =>
        JsonNode.Parse(DeployFiles.Text(Dashboard))!["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);

    static IEnumerable<string> RuleExpressions() =>
        DeployFiles.Items(Assert.Single(DeployFiles.Yaml(Rules))["spec"], "groups")
            .SelectMany(g => DeployFiles.Items(g, "rules")).Select(r => (string)r["expr"]!);

    async Task<HashSet<string>> ExportedSeriesAsync()
    {
        // Every instrument records: a drained create (submissions, lag, Argo duration), a reconciler transition,
        // a workflow still running (the by-phase gauge), a readiness check (the gauges), HTTP and database traffic.
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var scenarios = new WorkflowScenarios(Api, service, customer);
        await scenarios.FailedAsync();
        await scenarios.StuckAsync();
        await service.CreateClient().GetAsync("/readyz", Ct);
        var text = await service.CreateClient().GetStringAsync("/metrics", Ct);
        // The watch's series come from a host whose reconciler follows Argo's watch, once it told of a change.
        var (_, workflow) = await new WorkflowScenarios(Api, watching, customer).SubmittedAsync();
        watching.Argo.SetPhase(workflow, "Running");
        var watched = await PrometheusText.ScrapeUntilAsync(watching.CreateClient(),
            scrape => PrometheusText.ValueOf(scrape, "purchases_reconcile_watch_changes_total", "result=\"due\"") is not null, Ct);
        return Regex.Matches(text + watched, @"(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )").Select(m => m.Groups[1].Value).ToHashSet();
    }

    [Fact]
    public async Task The_dashboard_and_the_alerts_query_only_metrics_the_service_exports()
    {
        var exported = await ExportedSeriesAsync();

        var used = DashboardExpressions().Concat(RuleExpressions()).SelectMany(e => MetricName.Matches(e).Select(m => m.Value)).ToHashSet();

        Assert.True(used.Count >= 12, string.Join(", ", used));
        Assert.All(used, name => Assert.True(exported.Contains(name), $"{name} is not exported; exported: {string.Join(", ", exported.Order())}"));
        Assert.Contains("purchases_outbox_oldest_pending_age_seconds", used);
        Assert.Contains("purchases_workflows_stuck", used);
        Assert.Contains("purchases_reconcile_watch_connected", used);
        Assert.Contains("purchases_reconcile_watch_changes_total", used);
        Assert.Contains("http_server_request_duration_seconds_bucket", used);
    }

    [Fact]
    public void The_dashboard_has_request_outbox_and_workflow_panels_on_the_prometheus_datasource()
    {
        var dashboard = JsonNode.Parse(DeployFiles.Text(Dashboard))!;
        var titles = dashboard["panels"]!.AsArray().Select(p => (string)p!["title"]!).ToList();

        Assert.Equal("purchases", (string?)dashboard["uid"]);
        Assert.Contains("Requests per second by endpoint", titles);
        Assert.Contains("Latency p99 by endpoint", titles);
        Assert.Contains("Outbox backlog by state", titles);
        Assert.Contains("Outbox lag by kind: commit to workflow, or to delivery (p50, p99)", titles);
        Assert.Contains("Workflows of unfinished purchases by phase", titles);
        Assert.All(dashboard["panels"]!.AsArray(), p => Assert.Equal("${datasource}", (string?)p!["datasource"]!["uid"]));
    }

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var promtool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
        if (promtool is null) Assert.Skip("promtool is not installed here (apt-get install prometheus)");
        var dir = Directory.CreateTempSubdirectory("purchases-rules-").FullName;
        try
        {
            var spec = Assert.Single(DeployFiles.Yaml(Rules))["spec"]!;
            // JSON is YAML: promtool reads the PrometheusRule's spec as a plain rule file.
            await File.WriteAllTextAsync(Path.Combine(dir, "rules.yaml"), spec.ToJsonString(), Ct);
            File.Copy(DeployFiles.PathOf(RuleTests), Path.Combine(dir, "tests.yaml"));

            var (checkCode, checkOutput) = await RunAsync(promtool, dir, "check", "rules", "rules.yaml");
            var (testCode, testOutput) = await RunAsync(promtool, dir, "test", "rules", "tests.yaml");

            Assert.True(checkCode == 0, checkOutput);
            Assert.Contains("SUCCESS: 6 rules found", checkOutput);
            Assert.True(testCode == 0, testOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static async Task<(int Code, string Output)> RunAsync(string file, string dir, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + await error);
    }
}
