using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Purchases.Tests.Deploy;

/// <summary>deploy/argo/workflowtemplate.yaml fits the service: its name, its parameters, how it reports back.</summary>
public sealed class WorkflowTemplateTests
{
    const string UpdatePath =
        "/api/v0/user/{{workflow.parameters.user}}/purchase/{{workflow.parameters.purchase_id}}/update";

    static readonly JsonObject Template = Assert.Single(DeployFiles.Yaml("deploy/argo/workflowtemplate.yaml"));
    static readonly MiniArgo Argo = new(Template);

    /// <summary>Argo:WorkflowTemplate from src/appsettings.json when set there, else ArgoOptions' default.</summary>
    static string ServiceDefaultTemplateName()
    {
        var settings = JsonNode.Parse(DeployFiles.Text("src/appsettings.json"))!;
        if ((string?)settings["Argo"]?["WorkflowTemplate"] is { } configured) return configured;
        var options = DeployFiles.Text("src/Infrastructure/Argo/ArgoOptions.cs");
        var match = Regex.Match(options, @"string\s+WorkflowTemplate\s*\{\s*get;\s*set;\s*\}\s*=\s*""([^""]+)""");
        Assert.True(match.Success, "no default for WorkflowTemplate in ArgoOptions.cs");
        return match.Groups[1].Value;
    }

    static JsonObject Report => Argo.TemplateNamed((string)Argo.ReportInvocation(Argo.TemplateNamed((string)Argo.Spec["entrypoint"]!))["template"]!);

    static List<string> ReportArgs => Report["container"]!["args"]!.AsArray().Select(a => (string)a!).ToList();

    [Fact]
    public void The_template_is_a_workflow_template_named_as_the_services_default()
    {
        Assert.Equal("argoproj.io/v1alpha1", (string?)Template["apiVersion"]);
        Assert.Equal("WorkflowTemplate", (string?)Template["kind"]);
        Assert.Equal(ServiceDefaultTemplateName(), (string?)Template["metadata"]!["name"]);
    }

    [Fact]
    public void The_template_declares_exactly_the_parameters_the_service_sends()
    {
        var declared = DeployFiles.Items(Argo.Spec["arguments"], "parameters").Select(p => (string)p["name"]!).Order();

        // The service's side, from the code that builds the workflow (the story test checks a real submission too).
        var sent = Regex.Matches(DeployFiles.Text("src/Infrastructure/Argo/ArgoWorkflows.cs"), @"new Parameter \{ Name = ""([^""]+)""")
            .Select(m => m.Groups[1].Value).Order();
        Assert.Equal(["purchase_id", "retailer_id", "traceparent", "user"], declared);
        Assert.Equal(declared, sent);
    }

    [Fact]
    public void The_report_step_puts_to_update_purchase_with_a_worker_token_from_a_secret()
    {
        var args = ReportArgs;

        Assert.Equal("curl", (string?)Report["container"]!["command"]![0]);
        Assert.Equal("PUT", args[args.IndexOf("--request") + 1]);
        Assert.Contains("Authorization: Bearer $(WORKER_TOKEN)", args);
        Assert.Contains("Content-Type: application/json", args);
        // The report-back joins the purchase's trace (the service passes its traceparent as a parameter).
        Assert.Contains("traceparent: {{workflow.parameters.traceparent}}", args);
        Assert.Contains("--fail-with-body", args); // an HTTP error must fail the step, or nothing is retried
        Assert.Equal("http://purchases.purchases.svc.cluster.local" + UpdatePath, args[^1]);

        var token = Assert.Single(DeployFiles.Items(Report["container"], "env"), e => (string?)e["name"] == "WORKER_TOKEN");
        Assert.Equal("purchases-worker-token", (string?)token["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Equal("token", (string?)token["valueFrom"]!["secretKeyRef"]!["key"]);
    }

    [Fact]
    public void The_report_step_is_retried_with_backoff()
    {
        var retry = Report["retryStrategy"]!;

        Assert.True(int.Parse((string)retry["limit"]!) >= 3, retry.ToJsonString());
        Assert.NotNull(retry["backoff"]?["duration"]);
    }

    [Fact]
    public void The_strategy_step_is_marked_as_the_placeholder_and_hands_its_outputs_to_the_report()
    {
        var text = DeployFiles.Text("deploy/argo/workflowtemplate.yaml");
        var entry = Argo.TemplateNamed((string)Argo.Spec["entrypoint"]!);
        var report = Argo.ReportInvocation(entry);

        Assert.Contains("PLACEHOLDER", text);
        var outputs = Assert.Single(DeployFiles.Items(report["arguments"], "parameters"), p => (string?)p["name"] == "outputs");
        Assert.Matches(@"^\{\{steps\.[a-z-]+\.outputs\.parameters\.outputs\}\}$", (string?)outputs["value"]);
        Assert.Equal("completed", (string?)DeployFiles.Items(report["arguments"], "parameters").Single(p => (string?)p["name"] == "status")["value"]);
    }

    [Fact]
    public void The_exit_handler_reports_a_failed_status_only_when_the_workflow_did_not_succeed()
    {
        var handler = Argo.TemplateNamed((string)Argo.Spec["onExit"]!);
        var report = Argo.ReportInvocation(handler);

        Assert.Equal("{{workflow.status}} != Succeeded", (string?)report["when"]);
        var parameters = DeployFiles.Items(report["arguments"], "parameters").ToDictionary(p => (string)p["name"]!, p => (string)p["value"]!);
        Assert.Equal("failed", parameters["status"]);
        Assert.False(string.IsNullOrWhiteSpace(parameters["error"]));
    }

    [Fact]
    public async Task The_placeholder_strategy_writes_a_json_object_to_its_declared_outputs_path()
    {
        var python = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "python3")).FirstOrDefault(File.Exists);
        if (python is null) Assert.Skip("python3 is not installed here");
        var entry = Argo.TemplateNamed((string)Argo.Spec["entrypoint"]!);
        var strategy = Argo.TemplateNamed((string)MiniArgo.Invocations(entry).First()["template"]!);
        var path = (string)Assert.Single(DeployFiles.Items(strategy["outputs"], "parameters"))["valueFrom"]!["path"]!;
        var source = (string)strategy["script"]!["source"]!;
        Assert.Contains(path, source);
        var variables = new Dictionary<string, string>
        {
            ["workflow.parameters.purchase_id"] = "0193a1b2-0000-7000-8000-000000000001",
            ["workflow.parameters.user"] = "trebolenergia",
            ["workflow.parameters.retailer_id"] = "123",
        };
        var output = Path.Combine(Path.GetTempPath(), $"purchases-strategy-{Guid.NewGuid():N}.json");

        var start = new ProcessStartInfo(python, "-") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var env in DeployFiles.Items(strategy["script"], "env"))
            start.Environment[(string)env["name"]!] = MiniArgo.Substitute((string)env["value"]!, variables);
        using (var process = Process.Start(start)!)
        {
            await process.StandardInput.WriteAsync(source.Replace(path, output));
            process.StandardInput.Close();
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, errors);
        }

        try
        {
            var outputs = Assert.IsType<JsonObject>(JsonNode.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)));
            Assert.Equal("0193a1b2-0000-7000-8000-000000000001", (string?)outputs["purchase_id"]);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
