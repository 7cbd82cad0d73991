using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Outbox;

/// <summary>The drain against a fake Argo on loopback: one workflow per purchase, retries, failures, leases.</summary>
public sealed class OutboxDrainTests(ApiFactory api, DrainingApiFactory draining) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        draining.Argo.Reset();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    Task<Guid> SubmitAsync() => draining.CreateClient().WithToken(_token).SubmitAsync("trebolenergia", "123");

    Task<string> EntryAsync(Guid purchaseId) => Api.ScalarAsync<string>(
        "SELECT concat_ws('|', state, attempts, coalesce(last_error, '-')) FROM outbox_entries WHERE purchase_id = $1", purchaseId);

    async Task<string> WaitForStateAsync(Guid purchaseId, string state)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var entry = await EntryAsync(purchaseId);
            if (entry.StartsWith(state + "|") || deadline.Elapsed > TimeSpan.FromSeconds(10)) return entry;
            await Task.Delay(20, Ct);
        }
    }

    Task DrainAfter(TimeSpan wait) => draining.AdvanceAndDrainAsync(wait);

    [Fact]
    public async Task A_submitted_purchase_reaches_argo_by_the_commit_nudge_as_the_contract_workflow()
    {
        // The fixture polls once an hour, so only the nudge after commit can deliver it in this wait. How soon it
        // normally arrives (the contract's "within a second") is measured by bench scenario 4, not timed here.
        var id = await SubmitAsync();

        var workflow = await draining.Argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(15));

        Assert.Equal("argo", draining.Argo.LastNamespace);
        var labels = workflow.GetProperty("metadata").GetProperty("labels");
        Assert.Equal(id.ToString(), labels.GetProperty("purchases/purchase-id").GetString());
        Assert.Equal("trebolenergia", labels.GetProperty("purchases/user").GetString());
        Assert.Equal("123", labels.GetProperty("purchases/retailer-id").GetString());
        var spec = workflow.GetProperty("spec");
        Assert.Equal("purchase-strategy", spec.GetProperty("workflowTemplateRef").GetProperty("name").GetString());
        var parameters = spec.GetProperty("arguments").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
        var traceParent = parameters["traceparent"];
        parameters.Remove("traceparent");
        Assert.Equal(new Dictionary<string, string?> { ["purchase_id"] = id.ToString(), ["user"] = "trebolenergia", ["retailer_id"] = "123" },
            parameters);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(traceParent ?? "", "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"), traceParent);

        Assert.Equal("submitted|0|-", await WaitForStateAsync(id, "submitted"));
        var got = await BodyOf(await Api.ClientFor(_token).GetPurchaseAsync("trebolenergia", id));
        Assert.Equal("submitted", got.GetProperty("workflow").GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, got.GetProperty("workflow").GetProperty("submitted_at").ValueKind);
        Assert.Equal(1, draining.Argo.CreateCalls);
    }

    [Fact]
    public async Task A_server_error_is_retried_after_the_backoff_and_then_succeeds()
    {
        draining.Argo.EnqueueCreateResponse(500);
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");
        Assert.StartsWith("pending|1|HTTP 500", await EntryAsync(id));
        // The first failure (n = 1) is due again after [d/2, d] with d = 2 s · 2¹.
        Assert.InRange(await Api.ScalarAsync<double>(
            "SELECT extract(epoch FROM next_attempt_at - updated_at)::float8 FROM outbox_entries WHERE purchase_id = $1", id), 2, 4);

        await DrainAfter(TimeSpan.FromSeconds(5));

        Assert.StartsWith("submitted|1|", await EntryAsync(id));
        Assert.Equal([$"purchase-{id}"], draining.Argo.CreatedNames);
        Assert.Equal(2, draining.Argo.CreateCalls);
    }

    [Fact]
    public async Task Always_500_means_exactly_max_attempts_calls_then_failed()
    {
        draining.Argo.AlwaysRespond(500);
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");

        for (var i = 0; i < 20 && !(await EntryAsync(id)).StartsWith("failed"); i++)
            await DrainAfter(TimeSpan.FromMinutes(11));

        var entry = await EntryAsync(id);
        Assert.StartsWith("failed|10|", entry);
        Assert.Contains("500", entry);
        Assert.Equal(10, draining.Argo.CreateCalls);
        await DrainAfter(TimeSpan.FromHours(1));
        Assert.Equal(10, draining.Argo.CreateCalls);
    }

    [Fact]
    public async Task A_retry_after_from_argo_is_honoured_when_longer()
    {
        draining.Argo.EnqueueCreateResponse(429, retryAfter: "120");
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");

        await DrainAfter(TimeSpan.FromSeconds(60));
        Assert.StartsWith("pending|1|", await EntryAsync(id));
        await DrainAfter(TimeSpan.FromSeconds(61));

        Assert.StartsWith("submitted|1|", await EntryAsync(id));
    }

    [Fact]
    public async Task A_409_for_our_own_workflow_counts_as_submitted_without_a_second_workflow()
    {
        draining.Argo.AlwaysRespond(503);
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");
        draining.Argo.AlwaysRespond(null);
        draining.Argo.Seed($"purchase-{id}", id);

        await DrainAfter(TimeSpan.FromSeconds(5));

        Assert.StartsWith("submitted|1|", await EntryAsync(id));
        Assert.Empty(draining.Argo.CreatedNames);
        Assert.Single(draining.Argo.Workflows);
    }

    [Fact]
    public async Task A_409_for_another_purchases_workflow_is_failed_as_a_name_collision()
    {
        draining.Argo.AlwaysRespond(503);
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");
        draining.Argo.AlwaysRespond(null);
        draining.Argo.Seed($"purchase-{id}", Guid.NewGuid());

        await DrainAfter(TimeSpan.FromSeconds(5));

        var entry = await EntryAsync(id);
        Assert.StartsWith("failed|2|", entry);
        Assert.Contains("workflow name collision", entry);
    }

    [Fact]
    public async Task A_drainer_that_died_after_argo_accepted_leaves_one_workflow_and_the_entry_submitted_after_its_lease()
    {
        draining.Argo.AlwaysRespond(503);
        var id = await SubmitAsync();
        await WaitForStateAsync(id, "pending|1");
        // The dead drainer: it claimed the entry, Argo created the workflow, and it died before writing the result.
        draining.Argo.AlwaysRespond(null);
        draining.Argo.Seed($"purchase-{id}", id);
        // Relative to the drainer's clock, which earlier tests of this class may have moved ahead of the database's.
        var now = draining.Clock.GetCurrentInstant();
        await Api.ExecuteAsync($"""
            UPDATE outbox_entries SET next_attempt_at = '{now}'::timestamptz - interval '1 hour',
                locked_by = 'dead-drainer', locked_until = '{now}'::timestamptz + interval '1 hour' WHERE purchase_id = '{id}'
            """);

        await draining.DrainAsync();
        Assert.StartsWith("pending|1|", await EntryAsync(id));
        draining.Clock.Advance(TimeSpan.FromHours(2));
        await draining.DrainAsync();

        Assert.StartsWith("submitted|1|", await EntryAsync(id));
        Assert.Single(draining.Argo.Workflows);
        Assert.Equal(1, draining.Argo.CreateCalls - 1);
    }

    [Fact]
    public async Task Three_drainers_on_a_thousand_entries_create_every_workflow_exactly_once()
    {
        await Api.ExecuteAsync("""
            WITH p AS (
                INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
                SELECT gen_random_uuid(), 'trebolenergia', '1', 'pending', 0, now(), now(), current_date, current_date FROM generate_series(1, 1000)
                RETURNING id)
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at)
            SELECT gen_random_uuid(), id, '{"user": "trebolenergia", "retailer_id": "1"}', 'purchase-' || id, now() - interval '1 second', now(), now()
            FROM p
            """);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => draining.NewDrainer().DrainAsync(CancellationToken.None))));
        var deadline = Stopwatch.StartNew();
        while (await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state <> 'submitted'") > 0 &&
               deadline.Elapsed < TimeSpan.FromSeconds(30))
            await draining.DrainAsync();

        Assert.Equal(1000L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state = 'submitted' AND attempts = 0"));
        Assert.Equal(1000, draining.Argo.CreatedNames.Count);
        Assert.Equal(1000, draining.Argo.CreatedNames.Distinct().Count());
        Assert.Equal(1000, draining.Argo.CreateCalls);
    }

    [Fact]
    public async Task Without_argo_configured_entries_stay_pending_and_go_out_once_it_is()
    {
        var id = await Api.ClientFor(_token).SubmitAsync("trebolenergia");
        await Task.Delay(1500, Ct);
        Assert.Equal("pending|0|-", await EntryAsync(id));
        Assert.Equal(0, draining.Argo.CreateCalls);

        await draining.DrainAsync();

        Assert.StartsWith("submitted|0|", await EntryAsync(id));
        Assert.Equal([$"purchase-{id}"], draining.Argo.CreatedNames);
    }
}
