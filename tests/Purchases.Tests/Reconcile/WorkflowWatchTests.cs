using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Reconcile;

/// <summary>
/// Argo's watch as the reconciler's accelerator: the reconciler is on but reads each workflow only every hour, so a
/// purchase that follows its workflow within seconds does so through the watch. Argo is the fake, the database real.
/// </summary>
public sealed class WorkflowWatchTests(ApiFactory api, WatchingApiFactory service)
    : ApiTest(api), IClassFixture<WatchingApiFactory>
{
    static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);
    string _customer = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        _customer = await Api.AddCustomerAsync("trebolenergia");
    }

    WorkflowScenarios Scenarios => new(Api, service, _customer);

    /// <summary>Submitted, drained, and read as Running once the watch told: its next read is an hour away.</summary>
    async Task<(Guid Id, string Workflow)> RunningAsync()
    {
        await WatchingAsync();
        var (id, workflow) = await Scenarios.SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");
        Assert.Equal("pending|Running", await EventuallyAsync(id, "pending|Running"));
        Assert.InRange(await Api.ScalarAsync<double>(
            "SELECT extract(epoch FROM workflow_next_check_at - now())::float8 FROM purchases WHERE id = $1", id), 3000, 3600);
        return (id, workflow);
    }

    Task<string> StateAsync(Guid id) => Api.ScalarAsync<string>(
        "SELECT concat_ws('|', status, coalesce(workflow_phase, '-')) FROM purchases WHERE id = $1", id);

    async Task<string> EventuallyAsync(Guid id, string expected)
    {
        var state = "";
        for (var waited = TimeSpan.Zero; waited < Soon; waited += TimeSpan.FromMilliseconds(100))
        {
            if ((state = await StateAsync(id)) == expected) return state;
            await Task.Delay(100, Ct);
        }
        return state;
    }

    async Task WatchingAsync()
    {
        for (var waited = 0; waited < 150 && service.Argo.Watching == 0; waited++) await Task.Delay(100, Ct);
        Assert.Equal(1, service.Argo.Watching);
    }

    [Fact]
    public async Task A_workflow_that_fails_fails_its_purchase_within_seconds_not_at_its_next_read()
    {
        var (id, workflow) = await RunningAsync();

        service.Argo.SetPhase(workflow, "Failed", "child 'purchase-x-1' failed");

        Assert.Equal("failed|Failed", await EventuallyAsync(id, "failed|Failed"));
        Assert.Equal("Argo workflow Failed: child 'purchase-x-1' failed",
            await Api.ScalarAsync<string>("SELECT error FROM purchases WHERE id = $1", id));
        Assert.Equal("Bearer watch-token", service.Argo.LastWatchAuthorization);
        var query = service.Argo.LastWatchQuery!;
        Assert.Contains("listOptions.labelSelector=purchases%2Fpurchase-id", query);
        Assert.Contains("fields=result.type%2Cresult.object.metadata.resourceVersion%2Cresult.object.metadata.labels%2Cresult.object.status.phase%2Cerror", query);
        Assert.Empty(service.Argo.NonConforming);
    }

    [Fact]
    public async Task A_change_to_the_phase_already_recorded_is_known_and_moves_no_read()
    {
        var (id, workflow) = await RunningAsync();
        var next = await Api.ScalarAsync<string>("SELECT workflow_next_check_at::text FROM purchases WHERE id = $1", id);
        var known = await WatchCountAsync("known");

        service.Argo.SetPhase(workflow, "Running", "step 2 of 5");

        for (var waited = 0; waited < 150 && await WatchCountAsync("known") == known; waited++) await Task.Delay(100, Ct);
        Assert.Equal(known + 1, await WatchCountAsync("known"));
        Assert.Equal(next, await Api.ScalarAsync<string>("SELECT workflow_next_check_at::text FROM purchases WHERE id = $1", id));
        Assert.Equal("pending|Running", await StateAsync(id));
    }

    [Fact]
    public async Task When_Argo_ends_the_watch_it_follows_on_from_the_last_change_it_saw()
    {
        var (id, workflow) = await RunningAsync();
        var seen = service.Argo.LatestResourceVersion;
        var calls = service.Argo.WatchCalls;

        service.Argo.EndWatches();
        for (var waited = 0; waited < 150 && (service.Argo.WatchCalls == calls || service.Argo.Watching == 0); waited++)
            await Task.Delay(100, Ct);
        service.Argo.SetPhase(workflow, "Succeeded");

        Assert.Equal(seen, service.Argo.LastWatchResourceVersion);
        Assert.Equal("pending|Succeeded", await EventuallyAsync(id, "pending|Succeeded"));
    }

    [Fact]
    public async Task A_refused_then_expired_watch_starts_over_from_every_workflow_and_catches_up_what_it_missed()
    {
        var (id, workflow) = await RunningAsync();
        var calls = service.Argo.WatchCalls;

        service.Argo.WatchesRespond(503);
        service.Argo.EndWatches();
        for (var waited = 0; waited < 150 && service.Argo.WatchCalls < calls + 2; waited++) await Task.Delay(100, Ct);
        service.Argo.SetPhase(workflow, "Error", "failed to resolve artifact repository");
        service.Argo.ExpireWatchHistory();
        Assert.Equal("pending|Running", await StateAsync(id));
        service.Argo.WatchesRespond(null);

        Assert.Equal("failed|Error", await EventuallyAsync(id, "failed|Error"));
        Assert.Null(service.Argo.LastWatchResourceVersion);
        Assert.True(service.Argo.WatchCalls >= calls + 4, $"{service.Argo.WatchCalls - calls} watch calls");
    }

    [Fact]
    public async Task A_burst_of_changes_larger_than_the_watchs_buffer_makes_every_purchase_due()
    {
        const int count = 2_500; // the buffer holds 2,000: beyond it, the stream waits
        await Api.InsertAsync(count, state: "submitted", lastError: null, attempts: 1, createdAgo: "1 minute");
        await Api.ExecuteAsync("UPDATE purchases SET workflow_phase = 'Pending', workflow_next_check_at = now() + interval '1 hour'");
        var workflows = await Api.ScalarAsync<string[]>("SELECT array_agg(id::text) FROM purchases");
        foreach (var id in workflows) service.Argo.Seed($"purchase-{id}", Guid.Parse(id));
        await WatchingAsync();
        // Missed while the watch is down, the changes come all at once when it follows on.
        service.Argo.WatchesRespond(503);
        service.Argo.EndWatches();
        foreach (var id in workflows) service.Argo.SetPhase($"purchase-{id}", "Running");
        // The rows locked for a while, so that the watch's recording waits and the burst outruns it.
        await using (var connection = await Api.DataSource.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await using (var lockRows = new Npgsql.NpgsqlCommand("SELECT id FROM purchases FOR UPDATE", connection, transaction))
                await lockRows.ExecuteNonQueryAsync(Ct);
            service.Argo.WatchesRespond(null);
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            await transaction.CommitAsync(Ct);
        }

        long running = 0;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(60) && running < count; waited += TimeSpan.FromMilliseconds(200))
        {
            await Task.Delay(200, Ct);
            running = await Api.ScalarAsync<long>("SELECT count(*) FROM purchases WHERE workflow_phase = 'Running'");
        }
        Assert.Equal(count, running);
    }

    [Fact]
    public async Task Whether_Argo_streams_the_watch_is_a_gauge_operators_can_alert_on()
    {
        await WatchingAsync();
        Assert.Equal(1, await WatchConnectedAsync(until: 1));

        service.Argo.WatchesRespond(403);
        service.Argo.EndWatches();
        Assert.Equal(0, await WatchConnectedAsync(until: 0));

        service.Argo.WatchesRespond(null);
        Assert.Equal(1, await WatchConnectedAsync(until: 1));
    }

    async Task<double> WatchConnectedAsync(double until)
    {
        const string series = "purchases_reconcile_watch_connected";
        var scrape = await PrometheusText.ScrapeUntilAsync(service.CreateClient(), s => PrometheusText.ValueOf(s, series) == until, Ct);
        return PrometheusText.ValueOf(scrape, series) ?? -1;
    }

    async Task<double> WatchCountAsync(string result)
    {
        var metrics = await service.CreateClient().GetStringAsync("/metrics", Ct);
        return PrometheusText.ValueOf(metrics, "purchases_reconcile_watch_changes_total", $"result=\"{result}\"") ?? 0;
    }
}
