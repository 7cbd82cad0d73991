using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.ListWorkflows;

/// <summary>The operators' list of failed and stuck workflows: conditions, filters, stable pages, refusals, CLI parity.</summary>
public sealed class ListWorkflowsTests(ApiFactory api, DrainingApiFactory service) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    string _customer = "", _operator = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _operator = await Api.IssueTokenAsync("operator", "alice");
    }

    WorkflowScenarios Scenarios => new(Api, service, _customer);

    async Task<JsonElement> ListAsync(string query = "")
    {
        var response = await Api.ClientFor(_operator).GetAsync($"/api/v0/admin/workflows{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyOf(response);
    }

    static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("purchase_id").GetGuid()).ToList();

    [Fact]
    public async Task Failed_and_stuck_purchases_are_listed_by_condition_and_nothing_else()
    {
        var (failed, workflow) = await Scenarios.FailedAsync();
        var (stuck, _) = await Scenarios.StuckAsync();
        var (running, runningWorkflow) = await Scenarios.SubmittedAsync();
        service.Argo.SetPhase(runningWorkflow, "Running");
        await Scenarios.ReconcileNowAsync();

        var all = await ListAsync();
        var onlyFailed = await ListAsync("?condition=failed");
        var onlyStuck = await ListAsync("?condition=stuck");

        Assert.Equal(new[] { failed, stuck }.Order(), Ids(all).Order());
        Assert.DoesNotContain(running, Ids(all));
        Assert.Equal([failed], Ids(onlyFailed));
        Assert.Equal([stuck], Ids(onlyStuck));
        var item = onlyFailed.GetProperty("items")[0];
        Assert.Equal("failed", item.GetProperty("condition").GetString());
        Assert.Equal("Argo workflow Failed: Error (exit code 1)", item.GetProperty("error").GetString());
        Assert.Equal("Failed", item.GetProperty("phase").GetString());
        Assert.Equal(workflow, item.GetProperty("workflow_name").GetString());
        Assert.Equal("Running", onlyStuck.GetProperty("items")[0].GetProperty("phase").GetString());
        Assert.Equal("stuck", onlyStuck.GetProperty("items")[0].GetProperty("condition").GetString());
        // The reconciler reads a workflow without progress for two hours again after Reconcile:MaxInterval; a failed one never.
        var stuckItem = onlyStuck.GetProperty("items")[0];
        Assert.Equal(300, Math.Round((stuckItem.GetProperty("next_check_at").GetDateTimeOffset()
                                      - stuckItem.GetProperty("checked_at").GetDateTimeOffset()).TotalSeconds));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("next_check_at").ValueKind);
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        var (first, _) = await Scenarios.FailedAsync(retailerId: "A");
        var (second, _) = await Scenarios.FailedAsync(w => service.Argo.SetPhase(w, "Error", "pvc create error"), retailerId: "B");

        Assert.Equal([first], Ids(await ListAsync("?retailer_id=A")));
        Assert.Equal([second], Ids(await ListAsync("?error_contains=PVC")));
        Assert.Equal([second], Ids(await ListAsync($"?purchase_id={second}")));
        Assert.Empty(Ids(await ListAsync("?user=someone-else")));
    }

    [Fact]
    public async Task Pages_are_stable_while_purchases_fail_meanwhile()
    {
        var made = new List<Guid>();
        for (var i = 0; i < 5; i++) made.Add((await Scenarios.FailedAsync()).Id);

        var first = await ListAsync("?limit=2");
        await Scenarios.FailedAsync();
        var second = await ListAsync($"?limit=2&cursor={first.GetProperty("next_cursor").GetString()}");
        var third = await ListAsync($"?limit=2&cursor={second.GetProperty("next_cursor").GetString()}");

        made.Reverse();
        Assert.Equal(made, Ids(first).Concat(Ids(second)).Concat(Ids(third)).ToList());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("?condition=running", "Query parameter \"condition\" must be one of: failed, stuck.")]
    [InlineData("?limit=0", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?cursor=nope", "Query parameter \"cursor\" is not a cursor this API gave.")]
    [InlineData("?created_from=yesterday", "Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").")]
    public async Task A_bad_query_value_is_400_with_its_message(string query, string message) =>
        await AssertError(await Api.ClientFor(_operator).GetAsync($"/api/v0/admin/workflows{query}", Ct), 400, message);

    [Fact]
    public async Task Only_operators_may_list() =>
        await AssertDetail(await Api.ClientFor(_customer).GetAsync("/api/v0/admin/workflows", Ct), 403,
            "You do not have permission to perform this action.");

    [Fact]
    public async Task The_cli_lists_the_same_as_the_api()
    {
        await Scenarios.FailedAsync();
        await Scenarios.StuckAsync();

        var json = await CliProcess.RunAsync(Api.ConnectionString, "workflows", "list", "--json");
        var table = await CliProcess.RunAsync(Api.ConnectionString, "workflows", "list", "--condition", "stuck");

        Assert.Equal(0, json.ExitCode);
        Assert.Equal((await ListAsync()).GetRawText(), JsonDocument.Parse(json.Stdout).RootElement.GetRawText());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(" stuck ", table.Stdout);
        Assert.EndsWith("1 purchases.", table.Stdout.Trim());
    }
}
