using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.RetryWorkflow;

/// <summary>Retrying failed workflows through the admin API and the CLI, against the fake Argo and the real database.</summary>
public sealed class RetryWorkflowTests(ApiFactory api, DrainingApiFactory service) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    const string Completed = """{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}""";
    string _customer = "", _worker = "", _operator = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _worker = await Api.IssueTokenAsync("worker", "argo");
        _operator = await Api.IssueTokenAsync("operator", "alice");
    }

    WorkflowScenarios Scenarios => new(Api, service, _customer);

    Task<(Guid Id, string Workflow)> FailedAsync(Action<string>? argoState = null) => Scenarios.FailedAsync(argoState);

    Task<string> PurchaseAsync(Guid id) => Api.ScalarAsync<string>(
        "SELECT concat_ws('|', status, coalesce(error, '-'), retry_count, coalesce(last_retried_by, '-')) FROM purchases WHERE id = $1", id);

    Task<HttpResponseMessage> RetryAsync(object id, string query = "") =>
        service.CreateClient().WithToken(_operator).PostAsync($"/api/v0/admin/workflows/{id}/retry{query}", null, Ct);

    [Fact]
    public async Task A_failed_workflow_is_retried_in_place_and_its_report_back_completes_the_purchase()
    {
        var (id, workflow) = await FailedAsync();

        var response = await RetryAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyOf(response);
        Assert.Equal("retried_in_place", body.GetProperty("action").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("retry_count").GetInt32());
        Assert.Equal($"Workflow {workflow} retried in place.", body.GetProperty("message").GetString());
        Assert.Equal("pending|-|1|alice", await PurchaseAsync(id));
        Assert.Equal(1, service.Argo.RetryCalls);

        service.Argo.SetPhase(workflow, "Running");
        await service.ReconcileAsync();
        Assert.Equal("pending|-|1|alice", await PurchaseAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await Api.ClientFor(_worker).UpdateAsync("trebolenergia", id, Completed)).StatusCode);
        service.Argo.SetPhase(workflow, "Succeeded");

        Assert.Equal("completed||1|alice", await PurchaseAsync(id));
        Assert.Equal([workflow], service.Argo.CreatedNames);
        Assert.Single(service.Argo.Workflows);
    }

    [Fact]
    public async Task A_deleted_workflow_is_created_again_once_through_the_outbox()
    {
        var (id, workflow) = await FailedAsync(w => service.Argo.Delete(w));

        var response = await RetryAsync(id);
        await Scenarios.AllSubmittedAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("recreated", (await BodyOf(response)).GetProperty("action").GetString());
        Assert.Equal([workflow, workflow], service.Argo.CreatedNames);
        Assert.Equal(0, service.Argo.RetryCalls);
        Assert.Equal("pending|-|1|alice", await PurchaseAsync(id));
        Assert.Equal("submitted|1", await Api.ScalarAsync<string>(
            "SELECT state || '|' || replay_count FROM outbox_entries WHERE purchase_id = $1", id));
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_says_what_would_happen()
    {
        var (id, _) = await FailedAsync();

        var body = await BodyOf(await RetryAsync(id, "?dry_run=true"));

        Assert.True(body.GetProperty("dry_run").GetBoolean());
        Assert.Equal("retried_in_place", body.GetProperty("action").GetString());
        Assert.StartsWith("failed|Argo workflow Failed: Error (exit code 1)|0|-", await PurchaseAsync(id));
        Assert.Equal(0, service.Argo.RetryCalls);
    }

    [Fact]
    public async Task A_purchase_that_is_not_failed_is_refused_and_an_unknown_one_is_404()
    {
        var id = await service.CreateClient().WithToken(_customer).SubmitAsync("trebolenergia");

        await AssertError(await RetryAsync(id), 409, "Only a failed purchase's workflow can be retried.");
        await AssertError(await RetryAsync(Guid.NewGuid()), 404, "Purchase not found.");
        await AssertError(await RetryAsync("not-a-uuid"), 404, "Purchase not found.");
        Assert.Equal("pending|-|0|-", await PurchaseAsync(id));
    }

    [Fact]
    public async Task A_workflow_argo_will_not_retry_is_409_with_argos_message()
    {
        var (id, _) = await FailedAsync(w => service.Argo.SetPhase(w, "Succeeded", finishedAt: DateTimeOffset.UtcNow.AddHours(-1)));

        await AssertError(await RetryAsync(id), 409,
            "Argo refused the retry: To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector");
        Assert.Equal("failed|workflow finished without reporting results|0|-", await PurchaseAsync(id));
    }

    [Fact]
    public async Task Argo_down_is_502_and_the_purchase_stays_failed()
    {
        var (id, _) = await FailedAsync();
        service.Argo.ReadsRespond(503);

        var response = await RetryAsync(id);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("Argo did not answer the retry: HTTP 503", (await BodyOf(response)).GetProperty("error").GetString());
        Assert.StartsWith("failed|", await PurchaseAsync(id));
    }

    [Fact]
    public async Task A_dry_run_that_is_not_a_boolean_is_400_and_nothing_changes()
    {
        var (id, _) = await FailedAsync();

        await AssertError(await RetryAsync(id, "?dry_run=maybe"), 400, "Query parameter \"dry_run\" must be true or false.");
        Assert.Equal(0, service.Argo.RetryCalls);
        Assert.StartsWith("failed|", await PurchaseAsync(id));
    }

    [Fact]
    public async Task Only_operators_may_retry()
    {
        var (id, _) = await FailedAsync();

        await AssertDetail(await service.CreateClient().WithToken(_customer).PostAsync($"/api/v0/admin/workflows/{id}/retry", null, Ct),
            403, "You do not have permission to perform this action.");
        await AssertDetail(await service.CreateClient().WithToken(_worker).PostAsync($"/api/v0/admin/workflows/{id}/retry", null, Ct),
            403, "You do not have permission to perform this action.");
        Assert.StartsWith("failed|", await PurchaseAsync(id));
    }

    [Fact]
    public async Task The_cli_retries_in_place_with_the_same_rules()
    {
        var (id, workflow) = await FailedAsync();
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Purchases"] = Api.ConnectionString, ["Argo__BaseUrl"] = service.Argo.BaseUrl.ToString(),
        };

        var retried = await CliProcess.RunAsync(environment, "workflows", "retry", id.ToString());
        var again = await CliProcess.RunAsync(environment, "workflows", "retry", id.ToString());

        Assert.Equal(0, retried.ExitCode);
        Assert.Equal($"Workflow {workflow} retried in place.", retried.Stdout.Trim());
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"{id}: Only a failed purchase's workflow can be retried.", again.Stderr.Trim());
        Assert.Equal($"pending|-|1|cli:{Environment.UserName}", await PurchaseAsync(id));
        Assert.Equal(1, service.Argo.RetryCalls);
    }
}
