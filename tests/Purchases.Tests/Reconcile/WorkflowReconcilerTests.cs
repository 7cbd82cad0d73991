using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Reconcile;

/// <summary>
/// The reconciler against the fake Argo and the real database: each phase mapping, report-back winning in both
/// orders, deleted workflows, two instances on one database, and Argo down. Purchases are submitted and drained
/// through the API; the reconciler runs when the test says so (its background job is off in this factory).
/// </summary>
public sealed class WorkflowReconcilerTests(ApiFactory api, DrainingApiFactory service)
    : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    const string Completed = """{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}""";
    string _customer = "";
    string _worker = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _worker = await Api.IssueTokenAsync("worker", "argo");
    }

    WorkflowScenarios Scenarios => new(Api, service, _customer);

    Task<(Guid Id, string Workflow)> SubmittedAsync() => Scenarios.SubmittedAsync();

    async Task<JsonElement> GetAsync(Guid id)
    {
        var response = await Api.ClientFor(_customer).GetPurchaseAsync("trebolenergia", id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyOf(response);
    }

    Task<string> PurchaseAsync(Guid id) => Api.ScalarAsync<string>(
        "SELECT concat_ws('|', status, coalesce(error, '-'), coalesce(workflow_phase, '-')) FROM purchases WHERE id = $1", id);

    Task ReconcileAgainAsync() => Scenarios.ReconcileNowAsync();

    [Fact]
    public async Task A_running_workflow_is_recorded_and_nothing_else()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");

        Assert.Equal(1, await service.ReconcileAsync());

        Assert.Equal("pending|-|Running", await PurchaseAsync(id));
        var view = (await GetAsync(id)).GetProperty("workflow");
        Assert.Equal("Running", view.GetProperty("phase").GetString());
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("finished_at").ValueKind);
        Assert.Equal("submitted", view.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, (await GetAsync(id)).GetProperty("error").ValueKind);
        Assert.Equal($"purchases/purchase-id in ({id})", service.Argo.LastLabelSelector);
        Assert.Contains("items.status.phase", service.Argo.LastFields);
        Assert.Equal((1, 0), (service.Argo.ListCalls, service.Argo.GetCalls));
    }

    [Fact]
    public async Task Workflows_are_read_fifty_to_a_list_call()
    {
        for (var i = 0; i < 120; i++) await service.CreateClient().WithToken(_customer).SubmitAsync("trebolenergia");
        await Scenarios.AllSubmittedAsync();
        foreach (var name in service.Argo.CreatedNames) service.Argo.SetPhase(name, "Running");

        Assert.Equal(120, await service.ReconcileAsync());

        Assert.Equal((3, 0), (service.Argo.ListCalls, service.Argo.GetCalls));
        Assert.Equal(120L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases WHERE workflow_phase = 'Running'"));
    }

    [Fact]
    public async Task A_purchase_joins_the_reconcilers_work_when_Argo_accepts_its_workflow_and_not_before()
    {
        service.Argo.AlwaysRespond(503);
        var waiting = await service.CreateClient().WithToken(_customer).SubmitAsync("trebolenergia");
        await WaitAsync(() => Api.ScalarAsync<int>("SELECT attempts FROM outbox_entries WHERE purchase_id = $1", waiting), 1);

        // Behind an outage those still in the outbox are not on the work list (its index leaves them out), so a
        // backlog of them costs the reconciler's claims nothing (bench/FINDINGS.md).
        Assert.Equal(0, await service.ReconcileAsync());
        Assert.Equal(0, service.Argo.ListCalls);
        Assert.True(await Api.ScalarAsync<bool>("SELECT workflow_next_check_at IS NULL FROM purchases WHERE id = $1", waiting));

        service.Argo.AlwaysRespond(null);
        // Its retry due now (rather than moving this class's clock past the backoff, which its other tests share).
        await Api.ExecuteAsync("UPDATE outbox_entries SET next_attempt_at = now() WHERE purchase_id = $1", waiting);
        await Scenarios.AllSubmittedAsync();

        // Accepted: its first read is due from that moment.
        Assert.True(await Api.ScalarAsync<bool>("""
            SELECT p.workflow_next_check_at = o.submitted_at FROM purchases p JOIN outbox_entries o ON o.purchase_id = p.id
            WHERE p.id = $1 AND o.state = 'submitted'
            """, waiting));
        service.Argo.SetPhase($"purchase-{waiting}", "Running");
        Assert.Equal(1, await service.ReconcileAsync());
        Assert.Equal("pending|-|Running", await PurchaseAsync(waiting));
    }

    async Task WaitAsync(Func<Task<int>> read, int expected)
    {
        for (var poll = 0; poll < 100 && await read() != expected; poll++) await Task.Delay(50, Ct);
        Assert.Equal(expected, await read());
    }

    [Fact]
    public async Task A_workflow_the_list_does_not_show_is_read_on_its_own_and_only_a_404_means_deleted()
    {
        var (cached, cachedWorkflow) = await SubmittedAsync();
        var (gone, goneWorkflow) = await SubmittedAsync();
        service.Argo.SetPhase(cachedWorkflow, "Running");
        service.Argo.HiddenFromLists.Add(cachedWorkflow);
        service.Argo.Delete(goneWorkflow);

        await service.ReconcileAsync();

        Assert.Equal("pending|-|Running", await PurchaseAsync(cached));
        Assert.Equal("failed|workflow was deleted|Deleted", await PurchaseAsync(gone));
        Assert.Equal((1, 2), (service.Argo.ListCalls, service.Argo.GetCalls));
    }

    [Fact]
    public async Task A_workflow_read_once_is_not_read_again_before_the_interval()
    {
        var (_, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");

        await service.ReconcileAsync();
        var reads = service.Argo.ListCalls + service.Argo.GetCalls;
        Assert.Equal(0, await service.ReconcileAsync());

        Assert.Equal(reads, service.Argo.ListCalls + service.Argo.GetCalls);
    }

    Task<double> SecondsToNextReadAsync(Guid id) => Api.ScalarAsync<double>(
        "SELECT round(extract(epoch FROM workflow_next_check_at - workflow_checked_at))::float8 FROM purchases WHERE id = $1", id);

    /// <summary>The purchases table's HOT updates (in place, no index touched), polled until <paramref name="atLeast"/>.</summary>
    async Task<long> InPlaceUpdatesAsync(long atLeast = 0)
    {
        for (var poll = 0; ; poll++)
        {
            var count = await Api.ScalarAsync<long>(
                "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relid = 'purchases'::regclass");
            if (count >= atLeast || poll == 150) return count;
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The purchase's last progress (a phase change or an update) that long ago, and its next read due now.</summary>
    Task NoProgressForAsync(Guid id, string interval) => Api.ExecuteAsync($"""
        UPDATE purchases SET workflow_changed_at = now() - interval '{interval}', updated_at = now() - interval '{interval}',
                             workflow_next_check_at = now()
        WHERE id = $1
        """, id);

    [Fact]
    public async Task A_workflow_without_progress_is_read_less_often_the_longer_it_shows_none_and_at_the_interval_once_it_moves()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");

        await service.ReconcileAsync();
        Assert.Equal(30, await SecondsToNextReadAsync(id)); // a new phase: the interval

        await NoProgressForAsync(id, "1 minute");
        await service.ReconcileAsync();
        Assert.Equal(30, await SecondsToNextReadAsync(id)); // a tenth of it is less than the interval

        await NoProgressForAsync(id, "20 minutes");
        var inPlace = await InPlaceUpdatesAsync();
        await service.ReconcileAsync();
        Assert.Equal(120, await SecondsToNextReadAsync(id));
        Assert.Equal(0, await service.ReconcileAsync());
        Assert.True(await InPlaceUpdatesAsync(atLeast: inPlace + 1) > inPlace, "the reading of an unchanged phase was not a HOT update");

        await NoProgressForAsync(id, "3 hours");
        await service.ReconcileAsync();
        Assert.Equal(300, await SecondsToNextReadAsync(id)); // Reconcile:MaxInterval

        service.Argo.SetPhase(workflow, "Succeeded", finishedAt: DateTimeOffset.UtcNow);
        await NoProgressForAsync(id, "3 hours");
        await service.ReconcileAsync();
        Assert.Equal(30, await SecondsToNextReadAsync(id));
        Assert.Equal("pending|-|Succeeded", await PurchaseAsync(id));
    }

    [Fact]
    public async Task The_reconcilers_lag_is_how_long_the_most_overdue_read_has_been_due()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");
        await service.ReconcileAsync();
        // Read ten minutes ago, due ninety seconds ago: the lag is the ninety.
        await Api.ExecuteAsync("""
            UPDATE purchases SET workflow_checked_at = now() - interval '10 minutes', workflow_next_check_at = now() - interval '90 seconds'
            WHERE id = $1
            """, id);

        Assert.InRange(await ReconcileLagAsync(), 90, 120);
    }

    [Fact]
    public async Task A_workflow_never_read_counts_in_the_lag_from_when_argo_accepted_it()
    {
        var (id, _) = await SubmittedAsync();
        // Accepted ninety seconds ago: the drain made its first read due then.
        await Api.ExecuteAsync("UPDATE outbox_entries SET submitted_at = now() - interval '90 seconds' WHERE purchase_id = $1", id);
        await Api.ExecuteAsync("UPDATE purchases SET workflow_next_check_at = now() - interval '90 seconds' WHERE id = $1", id);

        Assert.Equal("pending|-|-", await PurchaseAsync(id));
        Assert.InRange(await ReconcileLagAsync(), 90, 120);

        await service.ReconcileAsync();
        Assert.InRange(await ReconcileLagAsync(), 0, 1);
    }

    async Task<double> ReconcileLagAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await Api.CreateClient().GetAsync("/readyz", Ct)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(0.5), Ct); // past the exporter's scrape cache
        var metrics = await Api.CreateClient().GetStringAsync("/metrics", Ct);
        var lag = PrometheusText.ValueOf(metrics, "purchases_reconcile_lag_seconds");
        Assert.True(lag.HasValue, metrics);
        return lag.Value;
    }

    [Fact]
    public async Task A_purchase_made_due_while_its_workflow_is_read_is_read_again_in_the_same_run()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Pending");
        await ReconcileAgainAsync();
        service.Argo.SetPhase(workflow, "Running");
        service.Argo.ListsAnswerAfter(TimeSpan.FromSeconds(1));
        var (lists, claimed) = (service.Argo.ListCalls, await CheckedAtAsync(id));

        await Api.ExecuteAsync("UPDATE purchases SET workflow_next_check_at = now() WHERE id = $1", id);
        var run = service.ReconcileAsync();
        await ClaimedSinceAsync(id, claimed);
        // What Argo's watch does when it reports a change meanwhile.
        await Api.ExecuteAsync("UPDATE purchases SET workflow_next_check_at = now() - interval '1 second' WHERE id = $1", id);
        await run;

        Assert.Equal(lists + 2, service.Argo.ListCalls);
        Assert.Equal("pending|-|Running", await PurchaseAsync(id));
    }

    [Fact]
    public async Task A_reading_of_a_purchase_claimed_again_meanwhile_does_not_overwrite_the_newer_runs()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");
        service.Argo.ListsAnswerAfter(TimeSpan.FromSeconds(1));

        var run = service.ReconcileAsync();
        await ClaimedSinceAsync(id, null);
        // Another instance claimed it since (the watch made it due) and recorded a newer phase.
        await Api.ExecuteAsync("""
            UPDATE purchases SET workflow_checked_at = workflow_checked_at + interval '1 millisecond', workflow_phase = 'Succeeded'
            WHERE id = $1
            """, id);
        await run;

        Assert.Equal("pending|-|Succeeded", await PurchaseAsync(id));
    }

    Task<string> CheckedAtAsync(Guid id) =>
        Api.ScalarAsync<string>("SELECT coalesce(workflow_checked_at::text, '-') FROM purchases WHERE id = $1", id);

    async Task ClaimedSinceAsync(Guid id, string? before)
    {
        for (var waited = 0; waited < 100 && await CheckedAtAsync(id) == (before ?? "-"); waited++) await Task.Delay(20, Ct);
        Assert.NotEqual(before ?? "-", await CheckedAtAsync(id));
    }

    [Theory]
    [InlineData("Failed", "child 'purchase-x-1' failed", "Argo workflow Failed: child 'purchase-x-1' failed")]
    [InlineData("Error", "failed to resolve artifact repository", "Argo workflow Error: failed to resolve artifact repository")]
    public async Task A_failed_workflow_fails_its_purchase_with_argos_message(string phase, string message, string error)
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, phase, message);

        await service.ReconcileAsync();

        Assert.Equal($"failed|{error}|{phase}", await PurchaseAsync(id));
        var got = await GetAsync(id);
        Assert.Equal("failed", got.GetProperty("status").GetString());
        Assert.Equal(error, got.GetProperty("error").GetString());
        Assert.Equal(message, got.GetProperty("workflow").GetProperty("message").GetString());
        Assert.NotEqual(JsonValueKind.Null, got.GetProperty("workflow").GetProperty("finished_at").ValueKind);
    }

    [Fact]
    public async Task A_failed_purchase_is_not_read_again()
    {
        var (_, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Failed", "boom");
        await service.ReconcileAsync();
        var reads = service.Argo.ListCalls + service.Argo.GetCalls;

        await ReconcileAgainAsync();

        Assert.Equal(reads, service.Argo.ListCalls + service.Argo.GetCalls);
    }

    [Fact]
    public async Task A_succeeded_workflow_within_the_grace_period_waits_for_its_report()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Succeeded", finishedAt: DateTimeOffset.UtcNow);

        await service.ReconcileAsync();

        Assert.Equal("pending|-|Succeeded", await PurchaseAsync(id));
    }

    [Fact]
    public async Task A_succeeded_workflow_that_never_reported_back_fails_its_purchase_after_the_grace_period()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Succeeded", finishedAt: DateTimeOffset.UtcNow.AddMinutes(-6));

        await service.ReconcileAsync();

        Assert.Equal("failed|workflow finished without reporting results|Succeeded", await PurchaseAsync(id));
    }

    [Fact]
    public async Task A_report_back_before_the_reconciler_wins_and_the_purchase_is_not_read_again()
    {
        var (id, workflow) = await SubmittedAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.ClientFor(_worker).UpdateAsync("trebolenergia", id, Completed)).StatusCode);
        service.Argo.SetPhase(workflow, "Failed", "a late failure after the report");

        await ReconcileAgainAsync();

        Assert.Equal("completed||-", await PurchaseAsync(id));
        Assert.Equal((0, 0), (service.Argo.ListCalls, service.Argo.GetCalls));
    }

    [Fact]
    public async Task A_late_report_back_after_the_reconciler_failed_the_purchase_is_accepted()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Failed", "pod deleted");
        await service.ReconcileAsync();
        Assert.StartsWith("failed|", await PurchaseAsync(id));

        var update = await Api.ClientFor(_worker).UpdateAsync("trebolenergia", id, Completed);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("completed||Failed", await PurchaseAsync(id));
        Assert.Equal("completed", (await GetAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_deleted_workflow_fails_its_purchase_and_makes_its_entry_replayable_once()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.Delete(workflow);

        await service.ReconcileAsync();

        Assert.Equal("failed|workflow was deleted|Deleted", await PurchaseAsync(id));
        Assert.StartsWith("failed|workflow was deleted", await Api.ScalarAsync<string>(
            "SELECT state || '|' || last_error FROM outbox_entries WHERE purchase_id = $1", id));

        var operatorToken = await Api.IssueTokenAsync("operator", "alice");
        var entryId = await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE purchase_id = $1", id);
        var replay = await Api.ClientFor(operatorToken).PostAsync($"/api/v0/admin/outbox/{entryId}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await service.DrainAsync();

        Assert.Equal([workflow, workflow], service.Argo.CreatedNames);
        Assert.True(service.Argo.Workflows.ContainsKey(workflow));
        Assert.Equal("submitted", await Api.ScalarAsync<string>("SELECT state FROM outbox_entries WHERE purchase_id = $1", id));
    }

    [Fact]
    public async Task Argo_down_changes_nothing_and_the_api_keeps_answering_then_the_next_run_catches_up()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Failed", "OOMKilled (exit code 137)");
        service.Argo.ReadsRespond(503);

        await service.ReconcileAsync();

        Assert.Equal("pending|-|-", await PurchaseAsync(id));
        Assert.Equal(30, await SecondsToNextReadAsync(id)); // read again an interval later (no reading yet to space out)
        Assert.Equal("pending", (await GetAsync(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.CreateClient().GetAsync("/readyz", Ct)).StatusCode);

        service.Argo.ReadsRespond(null);
        await ReconcileAgainAsync();

        Assert.Equal("failed|Argo workflow Failed: OOMKilled (exit code 137)|Failed", await PurchaseAsync(id));
    }

    [Fact]
    public async Task Two_service_instances_reconciling_one_database_read_each_workflow_once_and_fail_each_purchase_once()
    {
        var submitted = new List<(Guid Id, string Workflow)>();
        for (var i = 0; i < 120; i++)
            submitted.Add((await service.CreateClient().WithToken(_customer).SubmitAsync("trebolenergia"), ""));
        await Scenarios.AllSubmittedAsync();
        foreach (var (id, _) in submitted) service.Argo.SetPhase($"purchase-{id}", "Failed", "boom");
        var (listedBefore, getsBefore) = (service.Argo.ListedPurchases, service.Argo.GetCalls);

        await using var second = await service.SecondInstanceAsync();
        var counts = await Task.WhenAll(service.ReconcileAsync(), second.ReconcileAsync());

        // Each purchase claimed by one instance and asked of Argo once, by a list.
        Assert.Equal(120, counts.Sum());
        Assert.Equal((120, 0), (service.Argo.ListedPurchases - listedBefore, service.Argo.GetCalls - getsBefore));
        Assert.Equal(120L, await Api.ScalarAsync<long>(
            "SELECT count(*) FROM purchases WHERE status = 'failed' AND error = 'Argo workflow Failed: boom'"));
    }

    [Fact]
    public async Task Readiness_reports_stuck_workflows()
    {
        var (id, _) = await Scenarios.StuckAsync();

        var ready = await BodyOf(await Api.CreateClient().GetAsync("/readyz", Ct));

        Assert.Equal(1, ready.GetProperty("workflows").GetProperty("stuck").GetInt32());
        Assert.Equal("pending|-|Running", await PurchaseAsync(id));
    }
}
