using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.RetryWorkflows;

/// <summary>Retrying many failed workflows at once through the admin API and the CLI.</summary>
public sealed class RetryWorkflowsTests(ApiFactory api, DrainingApiFactory service) : ApiTest(api), IClassFixture<DrainingApiFactory>
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

    Task<HttpResponseMessage> RetryAsync(string query = "") =>
        service.CreateClient().WithToken(_operator).PostAsync($"/api/v0/admin/workflows/retry{query}", null, Ct);

    Task<long> CountAsync(string status) => Api.ScalarAsync<long>("SELECT count(*) FROM purchases WHERE status = $1", status);

    [Fact]
    public async Task Every_failed_purchase_is_retried_in_place_or_created_again_and_argos_refusals_are_listed()
    {
        await Scenarios.FailedAsync();
        await Scenarios.FailedAsync();
        var (deleted, deletedWorkflow) = await Scenarios.FailedAsync(w => service.Argo.Delete(w));
        var (silent, _) = await Scenarios.FailedAsync(w => service.Argo.SetPhase(w, "Succeeded", finishedAt: DateTimeOffset.UtcNow.AddHours(-1)));
        var (stuck, _) = await Scenarios.StuckAsync();

        var dryRun = await BodyOf(await RetryAsync("?dry_run=true"));
        Assert.Equal(0, dryRun.GetProperty("retried").GetInt32());
        Assert.Equal(3, dryRun.GetProperty("retried_in_place").GetInt32());
        Assert.Equal(1, dryRun.GetProperty("recreated").GetInt32());
        Assert.Equal(4, await CountAsync("failed"));

        var response = await RetryAsync();
        await Scenarios.AllSubmittedAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyOf(response);
        Assert.Equal(3, body.GetProperty("retried").GetInt32());
        Assert.Equal(2, body.GetProperty("retried_in_place").GetInt32());
        Assert.Equal(1, body.GetProperty("recreated").GetInt32());
        var refusal = Assert.Single(body.GetProperty("refused").EnumerateArray());
        Assert.Equal(silent, refusal.GetProperty("purchase_id").GetGuid());
        Assert.StartsWith("Argo refused the retry: To retry a succeeded workflow", refusal.GetProperty("error").GetString());
        Assert.Equal(1, await CountAsync("failed"));
        Assert.Equal(3L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases WHERE status = 'pending' AND retry_count = 1 AND last_retried_by = 'alice'"));
        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT retry_count::bigint FROM purchases WHERE id = $1", stuck));
        Assert.Equal(2, service.Argo.CreatedNames.Count(n => n == deletedWorkflow));
        Assert.Equal("submitted", await Api.ScalarAsync<string>("SELECT state FROM outbox_entries WHERE purchase_id = $1", deleted));

        var again = await BodyOf(await RetryAsync());
        Assert.Equal(0, again.GetProperty("retried").GetInt32());
    }

    [Fact]
    public async Task Filters_and_the_limit_bound_the_retry()
    {
        await Scenarios.FailedAsync(retailerId: "A");
        var (newest, _) = await Scenarios.FailedAsync(retailerId: "A");
        await Scenarios.FailedAsync(retailerId: "B");

        var body = await BodyOf(await RetryAsync("?retailer_id=A&limit=1"));

        Assert.Equal(1, body.GetProperty("retried").GetInt32());
        Assert.Equal("pending", await Api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", newest));
        Assert.Equal(2, await CountAsync("failed"));
    }

    [Theory]
    [InlineData("?condition=stuck", "Stuck workflows cannot be retried: only failed purchases' workflows can.")]
    [InlineData("?dry_run=perhaps", "Query parameter \"dry_run\" must be true or false.")]
    [InlineData("?limit=1001", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    public async Task A_bad_query_value_is_400_and_nothing_is_retried(string query, string message)
    {
        await Scenarios.FailedAsync();

        await AssertError(await RetryAsync(query), 400, message);
        Assert.Equal(1, await CountAsync("failed"));
    }

    [Fact]
    public async Task The_cli_retries_all_failed_with_the_same_rules()
    {
        await Scenarios.FailedAsync();
        await Scenarios.FailedAsync(w => service.Argo.Delete(w));
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Purchases"] = Api.ConnectionString, ["Argo__BaseUrl"] = service.Argo.BaseUrl.ToString(),
        };

        var dry = await CliProcess.RunAsync(environment, "workflows", "retry", "--all-failed", "--dry-run");
        var done = await CliProcess.RunAsync(environment, "workflows", "retry", "--all-failed", "--json");
        var neither = await CliProcess.RunAsync(environment, "workflows", "retry");

        Assert.Equal("1 would be retried in place, 1 created again.", dry.Stdout.Trim());
        Assert.Equal(0, done.ExitCode);
        var body = JsonDocument.Parse(done.Stdout).RootElement;
        Assert.Equal(2, body.GetProperty("retried").GetInt32());
        Assert.Equal(2L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases WHERE status = 'pending' AND retry_count = 1"));
        Assert.Equal(1, neither.ExitCode);
        Assert.Equal("Give either purchase ids or --all-failed.", neither.Stderr.Trim());
    }
}
