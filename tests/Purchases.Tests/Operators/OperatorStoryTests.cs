using System.Diagnostics;
using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Operators;

/// <summary>Argo breaks, entries fail, Argo is fixed, the operator replays: each purchase ends with exactly one workflow.</summary>
public sealed class OperatorStoryTests(ApiFactory api, DrainingApiFactory draining) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    async Task<string> StateOf(Guid purchaseId) =>
        await Api.ScalarAsync<string>("SELECT state FROM outbox_entries WHERE purchase_id = $1", purchaseId);

    async Task<Guid> EntryOf(Guid purchaseId) =>
        await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE purchase_id = $1", purchaseId);

    async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < timeout, $"not within {timeout}");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Failed_entries_replayed_by_api_and_by_cli_each_reach_argo_once()
    {
        draining.Argo.Reset();
        draining.Argo.AlwaysRespond(500);
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var operatorClient = draining.CreateClient().WithToken(await Api.IssueTokenAsync("operator", "ops"));
        var byApi = await draining.CreateClient().WithToken(customer).SubmitAsync("trebolenergia");
        var byCli = await draining.CreateClient().WithToken(customer).SubmitAsync("trebolenergia");
        // The commits' nudges make the first attempts; the clock moves only after them, or a nudged drain that had
        // read the clock before the jump would still be calling Argo when the next drain takes its expired lease over.
        await WaitUntil(async () => await Api.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_entries WHERE attempts = 1 AND locked_by IS NULL") == 2, TimeSpan.FromSeconds(15));
        for (var i = 0; i < 20 && await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state <> 'failed'") > 0; i++)
            await draining.AdvanceAndDrainAsync(TimeSpan.FromMinutes(11));
        // One assertion over everything, so that a failure shows the whole picture.
        var entries = await Api.ScalarAsync<string>(
            "SELECT string_agg(state || ':' || attempts, ',' ORDER BY created_at, id) FROM outbox_entries");
        Assert.Equal("failed:10,failed:10 after 20 calls", $"{entries} after {draining.Argo.CreateCalls} calls");

        draining.Argo.AlwaysRespond(null);
        var replayed = await operatorClient.PostAsync($"/api/v0/admin/outbox/{await EntryOf(byApi)}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        await draining.Argo.WaitForWorkflowAsync($"purchase-{byApi}", TimeSpan.FromSeconds(15));
        await WaitUntil(async () => await StateOf(byApi) == "submitted", TimeSpan.FromSeconds(15));

        var cli = await CliProcess.RunAsync(Api.ConnectionString, "outbox", "replay", "--all-failed");
        Assert.Equal("1 entries replayed.", cli.Stdout.Trim());
        // The CLI is another process: its NOTIFY nudges the service, no polling needed.
        await draining.Argo.WaitForWorkflowAsync($"purchase-{byCli}", TimeSpan.FromSeconds(15));
        await WaitUntil(async () => await StateOf(byCli) == "submitted", TimeSpan.FromSeconds(15));

        Assert.Equal([$"purchase-{byApi}", $"purchase-{byCli}"], draining.Argo.CreatedNames);
        Assert.Equal(22, draining.Argo.CreateCalls);
    }

    [Fact]
    public async Task Replaying_an_entry_whose_workflow_exists_does_not_create_a_second_one()
    {
        draining.Argo.Reset();
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var purchase = await draining.CreateClient().WithToken(customer).SubmitAsync("trebolenergia");
        await WaitUntil(async () => await StateOf(purchase) == "submitted", TimeSpan.FromSeconds(15));
        // As if the entry had been marked failed although its workflow was created (a lost answer, then a bad config).
        await Api.ExecuteAsync($"UPDATE outbox_entries SET state = 'failed', attempts = 10 WHERE purchase_id = '{purchase}'");

        var replay = await draining.CreateClient().WithToken(await Api.IssueTokenAsync("operator", "ops"))
            .PostAsync("/api/v0/admin/outbox/replay?state=failed", null, Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await WaitUntil(async () => await StateOf(purchase) == "submitted", TimeSpan.FromSeconds(15));

        Assert.Equal([$"purchase-{purchase}"], draining.Argo.CreatedNames);
        Assert.Equal(2, draining.Argo.CreateCalls);
    }
}
