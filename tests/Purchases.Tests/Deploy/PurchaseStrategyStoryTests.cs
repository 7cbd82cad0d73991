using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Deploy;

/// <summary>
/// The whole loop without a cluster: the service creates a workflow in (fake) Argo; that workflow is resolved against
/// deploy/argo/workflowtemplate.yaml; the report and exit-handler requests the template's curl would send are sent
/// to the service, which must accept them and store what they say.
/// </summary>
public sealed class PurchaseStrategyStoryTests(ApiFactory api, DrainingApiFactory draining) : ApiTest(api), IClassFixture<DrainingApiFactory>
{
    const string InClusterBase = "http://purchases.purchases.svc.cluster.local/";
    const string StrategyOutputs = """{"idmodel": 7, "models": [{"idmodel": 8, "buy": [1.5, 2.0]}]}""";

    readonly MiniArgo argo = new(Assert.Single(DeployFiles.Yaml("deploy/argo/workflowtemplate.yaml")));
    string customer = "";
    string worker = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        draining.Argo.Reset();
        customer = await Api.AddCustomerAsync("trebolenergia");
        worker = await Api.IssueTokenAsync("worker", "argo");
    }

    /// <summary>Submits a purchase and returns its id and the workflow's variables as Argo would set them.</summary>
    async Task<(Guid Id, Dictionary<string, string> Variables)> WorkflowForNewPurchaseAsync(string status)
    {
        var id = await draining.CreateClient().WithToken(customer).SubmitAsync("trebolenergia", "123");
        var workflow = JsonNode.Parse((await draining.Argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(15))).GetRawText())!;

        Assert.Equal(argo.Name, (string?)workflow["spec"]!["workflowTemplateRef"]!["name"]);
        var parameters = DeployFiles.Items(workflow["spec"]!["arguments"], "parameters")
            .ToDictionary(p => (string)p["name"]!, p => (string)p["value"]!);
        var declared = DeployFiles.Items(argo.Spec["arguments"], "parameters").Select(p => (string)p["name"]!);
        Assert.Equal(declared.Order(), parameters.Keys.Order());

        var variables = parameters.ToDictionary(p => $"workflow.parameters.{p.Key}", p => p.Value);
        variables["workflow.name"] = (string)workflow["metadata"]!["name"]!;
        variables["workflow.status"] = status;
        return (id, variables);
    }

    async Task<HttpResponseMessage> SendAsync(JsonObject invocation, IReadOnlyDictionary<string, string> variables)
    {
        var request = argo.RequestOf(invocation, variables, new Dictionary<(string, string), string>
        {
            [("purchases-worker-token", "token")] = worker,
        });
        var url = request.RequestUri!.ToString();
        Assert.StartsWith(InClusterBase, url);
        request.RequestUri = new Uri(url[InClusterBase.Length..], UriKind.Relative); // the in-process service instead
        return await Api.CreateClient().SendAsync(request, Ct);
    }

    async Task<JsonElement> PurchaseAsync(Guid id) =>
        await BodyOf(await Api.ClientFor(customer).GetPurchaseAsync("trebolenergia", id));

    [Fact]
    public async Task A_purchases_workflow_reports_the_strategy_outputs_and_completes_it()
    {
        var (id, workflow) = await WorkflowForNewPurchaseAsync("Running");
        var entry = argo.TemplateNamed((string)argo.Spec["entrypoint"]!);
        var step = argo.ReportInvocation(entry);
        // Every step of the entry template that declares outputs hands over what the placeholder would write.
        var withOutputs = new Dictionary<string, string>(workflow);
        foreach (var earlier in MiniArgo.Invocations(entry))
        foreach (var output in DeployFiles.Items(argo.TemplateNamed((string)earlier["template"]!)["outputs"], "parameters"))
            withOutputs[$"steps.{earlier["name"]}.outputs.parameters.{output["name"]}"] = StrategyOutputs;

        var response = await SendAsync(step, argo.InputsOf(step, withOutputs));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var purchase = await PurchaseAsync(id);
        Assert.Equal("completed", purchase.GetProperty("status").GetString());
        Assert.Equal("", purchase.GetProperty("error").GetString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(StrategyOutputs), JsonNode.Parse(purchase.GetProperty("strategy_output").GetRawText())));
    }

    [Fact]
    public async Task A_failed_workflows_exit_handler_marks_the_purchase_failed_with_a_message()
    {
        var (id, workflow) = await WorkflowForNewPurchaseAsync("Failed");
        var step = argo.ReportInvocation(argo.TemplateNamed((string)argo.Spec["onExit"]!));

        Assert.Equal("Failed != Succeeded", MiniArgo.Substitute((string)step["when"]!, workflow));
        var response = await SendAsync(step, argo.InputsOf(step, workflow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var purchase = await PurchaseAsync(id);
        Assert.Equal("failed", purchase.GetProperty("status").GetString());
        Assert.Equal($"Strategy workflow purchase-{id} ended with status Failed", purchase.GetProperty("error").GetString());
    }
}
