using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Purchases.Tests.Deploy;

/// <summary>
/// deploy/k8s: parsed as YAML and checked for shape and for agreement with the service and the WorkflowTemplate.
/// There is no Kubernetes schema or cluster here, so this is not a kubectl dry run.
/// </summary>
public sealed class KubernetesManifestTests
{
    const string Folder = "deploy/k8s";
    const string ExampleSecrets = "secrets.example.yaml";

    static readonly string[] ManifestFiles = Directory.GetFiles(DeployFiles.PathOf(Folder), "*.yaml")
        .Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order().ToArray()!;

    static List<JsonObject> All() => ManifestFiles.SelectMany(f => DeployFiles.Yaml($"{Folder}/{f}")).ToList();

    static JsonObject Deployment => DeployFiles.Resource(All(), "Deployment", "purchases");
    static JsonObject PodSpec => Deployment["spec"]!["template"]!["spec"]!.AsObject();
    static JsonObject Container => Assert.Single(DeployFiles.Items(PodSpec, "containers"));

    static string? Env(JsonObject container, string name) =>
        (string?)DeployFiles.Items(container, "env").SingleOrDefault(e => (string?)e["name"] == name)?["value"];

    static string ArgoNamespace => Env(Container, "Argo__Namespace") ?? "argo";

    [Fact]
    public void Every_manifest_parses_and_names_its_kind_and_namespace()
    {
        Assert.Equal(["argo-rbac.yaml", "deployment.yaml", "namespace.yaml", ExampleSecrets, "service.yaml"], ManifestFiles);
        foreach (var document in All())
        {
            Assert.False(string.IsNullOrEmpty((string?)document["apiVersion"]), document.ToJsonString());
            Assert.False(string.IsNullOrEmpty((string?)document["kind"]), document.ToJsonString());
            Assert.False(string.IsNullOrEmpty((string?)document["metadata"]?["name"]), document.ToJsonString());
            // The kustomization sets no namespace (it would move the argo Roles), so every namespaced resource names its own.
            if ((string?)document["kind"] != "Namespace")
                Assert.False(string.IsNullOrEmpty((string?)document["metadata"]!["namespace"]), document.ToJsonString());
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_but_the_example_secrets()
    {
        var kustomization = Assert.Single(DeployFiles.Yaml($"{Folder}/kustomization.yaml"));
        var resources = kustomization["resources"]!.AsArray().Select(r => (string)r!).Order();

        Assert.Equal(ManifestFiles.Where(f => f != ExampleSecrets), resources);
        Assert.Contains(DeployFiles.Items(kustomization, "images"), i => (string?)i["name"] == (string?)Container["image"]);
    }

    [Fact]
    public void The_deployment_runs_two_replicas_that_probe_readyz_and_healthz_on_the_container_port()
    {
        Assert.Equal(2, (int)Deployment["spec"]!["replicas"]!);
        var port = Assert.Single(DeployFiles.Items(Container, "ports"), p => (string?)p["name"] == "http");
        Assert.Equal(8080, (int)port["containerPort"]!);

        foreach (var (probe, path) in new[] { ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz") })
        {
            var get = Container[probe]!["httpGet"]!;
            Assert.Equal(path, (string?)get["path"]);
            Assert.True(get["port"]!.ToString() == port["name"]?.ToString() || get["port"]!.ToString() == "8080", $"{probe} port {get["port"]}");
        }
        // A large backlog (an Argo outage) makes readiness slower; Kubernetes' default 1 s would then take the
        // instances out of the Service just when they must keep taking purchases.
        Assert.True((int?)Container["readinessProbe"]!["timeoutSeconds"] >= 5);
    }

    [Fact]
    public void The_deployment_migrates_the_database_in_an_init_container_of_the_same_image()
    {
        var init = Assert.Single(DeployFiles.Items(PodSpec, "initContainers"));

        Assert.Equal(["migrate"], init["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal((string?)Container["image"], (string?)init["image"]);
        Assert.Null(init["command"]); // the image's entrypoint, dotnet Purchases.dll, runs the CLI
        Assert.Contains(DeployFiles.Items(init, "env"), e => (string?)e["name"] == "ConnectionStrings__Purchases");
    }

    [Fact]
    public void The_deployment_runs_as_non_root_on_a_read_only_root_filesystem_with_a_writable_tmp()
    {
        Assert.True((bool)PodSpec["securityContext"]!["runAsNonRoot"]!);
        Assert.NotEqual(0, (int)PodSpec["securityContext"]!["runAsUser"]!);
        Assert.Equal(30, (int)PodSpec["terminationGracePeriodSeconds"]!);
        foreach (var container in DeployFiles.Items(PodSpec, "containers").Concat(DeployFiles.Items(PodSpec, "initContainers")))
        {
            Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!, (string?)container["name"]);
            Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!, (string?)container["name"]);
            var tmp = Assert.Single(DeployFiles.Items(container, "volumeMounts"), m => (string?)m["mountPath"] == "/tmp");
            var volume = Assert.Single(DeployFiles.Items(PodSpec, "volumes"), v => (string?)v["name"] == (string?)tmp["name"]);
            Assert.NotNull(volume["emptyDir"]);
        }
        Assert.Equal("512Mi", (string?)Container["resources"]!["limits"]!["memory"]);
        Assert.NotNull(Container["resources"]!["requests"]);
    }

    [Fact]
    public void Every_environment_variable_of_the_deployment_is_a_configuration_key_of_the_service()
    {
        // The keys of README.md's configuration table, e.g. `Argo:Token` / `Argo:TokenFile` in a row's first cell.
        var readme = DeployFiles.Text("README.md");
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        var known = Regex.Matches(table, @"^\|([^|]*)\|", RegexOptions.Multiline)
            .SelectMany(row => Regex.Matches(row.Groups[1].Value, @"`([A-Za-z]+(?::[A-Za-z]+)+)`").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Contains("Argo:TokenFile", known);

        var names = DeployFiles.Items(PodSpec, "containers").Concat(DeployFiles.Items(PodSpec, "initContainers"))
            .SelectMany(c => DeployFiles.Items(c, "env")).Select(e => (string)e["name"]!).Distinct().ToList();
        // OpenTelemetry's standard variables are read as they are; the README names them.
        Assert.All(names.Where(n => !n.StartsWith("OTEL_", StringComparison.Ordinal)), name => Assert.Contains(name.Replace("__", ":"), known));
        Assert.All(names.Where(n => n.StartsWith("OTEL_", StringComparison.Ordinal)), name => Assert.Contains($"`{name}`", readme));
        Assert.Contains("ConnectionStrings__Purchases", names);
        Assert.Equal("purchase-strategy", Env(Container, "Argo__WorkflowTemplate"));
    }

    [Fact]
    public void Metrics_are_on_a_management_port_that_the_service_exposes_and_the_service_monitor_scrapes()
    {
        var metricsPort = Assert.Single(DeployFiles.Items(Container, "ports"), p => (string?)p["name"] == "metrics");
        Assert.Equal(Env(Container, "Metrics__Port"), metricsPort["containerPort"]!.ToString());
        var service = DeployFiles.Resource(All(), "Service", "purchases");
        Assert.Contains(DeployFiles.Items(service["spec"], "ports"), p => (string?)p["name"] == "metrics" && (string?)p["targetPort"] == "metrics");

        var monitor = Assert.Single(DeployFiles.Yaml("deploy/monitoring/servicemonitor.yaml"));
        Assert.Equal("ServiceMonitor", (string?)monitor["kind"]);
        Assert.Equal(service["metadata"]!["labels"]!.ToJsonString(), monitor["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
        var endpoint = Assert.Single(DeployFiles.Items(monitor["spec"], "endpoints"));
        Assert.Equal(("metrics", "/metrics"), ((string?)endpoint["port"], (string?)endpoint["path"]));
    }

    [Fact]
    public void The_argo_token_file_is_the_pods_projected_service_account_token()
    {
        var tokenFile = Env(Container, "Argo__TokenFile")!;
        var mount = Assert.Single(DeployFiles.Items(Container, "volumeMounts"),
            m => tokenFile.StartsWith((string)m["mountPath"]! + "/", StringComparison.Ordinal));
        var volume = Assert.Single(DeployFiles.Items(PodSpec, "volumes"), v => (string?)v["name"] == (string?)mount["name"]);

        var source = Assert.Single(DeployFiles.Items(volume["projected"], "sources"));
        Assert.Equal(tokenFile, (string)mount["mountPath"]! + "/" + (string)source["serviceAccountToken"]!["path"]!);
    }

    [Fact]
    public void The_services_account_may_create_and_get_workflows_in_argos_namespace()
    {
        var all = All();
        var account = (string)PodSpec["serviceAccountName"]!;
        DeployFiles.Resource(all, "ServiceAccount", account);

        var binding = Assert.Single(all, d => (string?)d["kind"] == "RoleBinding" && (string?)d["metadata"]!["namespace"] == ArgoNamespace
            && DeployFiles.Items(d, "subjects").Any(s => (string?)s["name"] == account && (string?)s["namespace"] == (string?)Deployment["metadata"]!["namespace"]));
        var role = DeployFiles.Resource(all, "Role", (string)binding["roleRef"]!["name"]!);
        Assert.Equal(ArgoNamespace, (string?)role["metadata"]!["namespace"]);
        var rules = DeployFiles.Items(role, "rules").ToList();
        Assert.Equal(2, rules.Count);
        var (workflows, pods) = (rules[0], rules[1]);
        Assert.Equal(["argoproj.io"], workflows["apiGroups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(["workflows"], workflows["resources"]!.AsArray().Select(g => (string)g!));
        // create: the outbox; get: its read-back and the reconciler; list and watch: the reconciler (Argo's server
        // checks "list" itself, and watches with the caller's token); update: the operators' retry.
        Assert.Equal(["create", "get", "list", "update", "watch"], workflows["verbs"]!.AsArray().Select(g => (string)g!).Order());
        Assert.Equal([""], pods["apiGroups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(["pods"], pods["resources"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(["delete"], pods["verbs"]!.AsArray().Select(g => (string)g!));
    }

    [Fact]
    public void The_secrets_and_the_service_account_the_workflow_template_uses_are_in_argos_namespace()
    {
        var all = All();
        var template = Assert.Single(DeployFiles.Yaml("deploy/argo/workflowtemplate.yaml"));
        var workflowAccount = DeployFiles.Resource(all, "ServiceAccount", (string)template["spec"]!["serviceAccountName"]!);
        Assert.Equal(ArgoNamespace, (string?)workflowAccount["metadata"]!["namespace"]);

        var secretRefs = Regex.Matches(DeployFiles.Text("deploy/argo/workflowtemplate.yaml"), @"secretKeyRef:\s+name: (\S+)\s+key: (\S+)");
        Assert.NotEmpty(secretRefs);
        foreach (Match reference in secretRefs)
        {
            var secret = DeployFiles.Resource(all, "Secret", reference.Groups[1].Value);
            Assert.Equal(ArgoNamespace, (string?)secret["metadata"]!["namespace"]);
            Assert.NotNull(secret["stringData"]![reference.Groups[2].Value]);
        }
    }

    [Fact]
    public void The_deployments_secret_references_exist_in_the_example_with_placeholder_values()
    {
        var secrets = DeployFiles.Yaml($"{Folder}/{ExampleSecrets}");
        var references = DeployFiles.Items(PodSpec, "containers").Concat(DeployFiles.Items(PodSpec, "initContainers"))
            .SelectMany(c => DeployFiles.Items(c, "env")).Select(e => e["valueFrom"]?["secretKeyRef"]).OfType<JsonObject>();

        foreach (var reference in references)
        {
            var secret = DeployFiles.Resource(secrets, "Secret", (string)reference["name"]!);
            Assert.Equal((string?)Deployment["metadata"]!["namespace"], (string?)secret["metadata"]!["namespace"]);
            Assert.NotNull(secret["stringData"]![(string)reference["key"]!]);
        }
        Assert.All(secrets.SelectMany(s => s["stringData"]!.AsObject()), value => Assert.Contains("REPLACE_ME", (string)value.Value!));
    }

    [Fact]
    public void The_service_sends_port_80_to_the_containers_8080_at_the_address_the_workflows_report_to()
    {
        var service = DeployFiles.Resource(All(), "Service", "purchases");
        var port = Assert.Single(DeployFiles.Items(service["spec"], "ports"), p => (string?)p["name"] == "http");
        var containerPort = Assert.Single(DeployFiles.Items(Container, "ports"), p => (string?)p["name"] == "http");

        Assert.Equal("ClusterIP", (string?)service["spec"]!["type"]);
        Assert.Equal(80, (int)port["port"]!);
        Assert.True(port["targetPort"]!.ToString() == containerPort["name"]?.ToString() || port["targetPort"]!.ToString() == "8080");
        Assert.Equal(Deployment["spec"]!["selector"]!["matchLabels"]!.ToJsonString(), service["spec"]!["selector"]!.ToJsonString());
        Assert.Contains($"http://{service["metadata"]!["name"]}.{service["metadata"]!["namespace"]}.svc.cluster.local/api/v0/",
            DeployFiles.Text("deploy/argo/workflowtemplate.yaml"));
    }
}
