using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Purchases.Tests.Deploy;

/// <summary>
/// Just enough of Argo and Kubernetes to turn a step of the WorkflowTemplate into the HTTP request its curl container
/// would send: Argo's <c>{{…}}</c> substitution (workflow parameters, a step's inputs with their defaults, earlier
/// steps' outputs), Kubernetes' <c>$(VAR)</c> expansion of args from the container's env (secretKeyRef included),
/// and the handful of curl options the template uses. Anything else fails loudly rather than being guessed.
/// </summary>
sealed partial class MiniArgo(JsonObject workflowTemplate)
{
    public string Name => (string)workflowTemplate["metadata"]!["name"]!;

    public JsonObject Spec => workflowTemplate["spec"]!.AsObject();

    public JsonObject TemplateNamed(string name) =>
        Assert.Single(DeployFiles.Items(Spec, "templates"), t => (string?)t["name"] == name);

    /// <summary>The steps (or DAG tasks) a steps/dag template invokes.</summary>
    public static IEnumerable<JsonObject> Invocations(JsonObject template) =>
        template["steps"] is JsonArray groups
            ? groups.SelectMany(group => group!.AsArray().Select(step => step!.AsObject()))
            : DeployFiles.Items(template["dag"], "tasks");

    /// <summary>The one invocation, in <paramref name="caller"/>, of the template that runs curl.</summary>
    public JsonObject ReportInvocation(JsonObject caller) =>
        Assert.Single(Invocations(caller), step => TemplateNamed((string)step["template"]!)["container"]?["command"]?[0]?.ToString() == "curl");

    /// <summary>Argo's substitution of <c>{{name}}</c>; an unknown name fails, as Argo refuses such a workflow.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables) =>
        Placeholder().Replace(text, m => variables.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"unresolved {m.Value} in: {text}"));

    /// <summary>The variables inside <paramref name="invocation"/>'s template: the workflow's plus its inputs.</summary>
    public Dictionary<string, string> InputsOf(JsonObject invocation, IReadOnlyDictionary<string, string> workflowVariables)
    {
        var arguments = DeployFiles.Items(invocation["arguments"], "parameters")
            .ToDictionary(p => (string)p["name"]!, p => Substitute((string)p["value"]!, workflowVariables));
        var variables = new Dictionary<string, string>(workflowVariables);
        foreach (var input in DeployFiles.Items(TemplateNamed((string)invocation["template"]!)["inputs"], "parameters"))
        {
            var name = (string)input["name"]!;
            variables[$"inputs.parameters.{name}"] = arguments.GetValueOrDefault(name)
                ?? (string?)input["default"]
                ?? throw new InvalidOperationException($"input {name} has no argument and no default");
        }
        return variables;
    }

    /// <summary>The request the invoked curl container sends, with the in-cluster URL kept as it is.</summary>
    public HttpRequestMessage RequestOf(JsonObject invocation, IReadOnlyDictionary<string, string> variables,
        IReadOnlyDictionary<(string Secret, string Key), string> secrets)
    {
        var container = TemplateNamed((string)invocation["template"]!)["container"]!;
        var env = DeployFiles.Items(container, "env").ToDictionary(e => (string)e["name"]!, e =>
            e["valueFrom"]?["secretKeyRef"] is { } secret
                ? secrets[((string)secret["name"]!, (string)secret["key"]!)]
                : Substitute((string)e["value"]!, variables));
        var args = container["args"]!.AsArray()
            .Select(a => KubernetesVariable().Replace(Substitute((string)a!, variables),
                m => env.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value))
            .ToList();
        return Curl(args);
    }

    static HttpRequestMessage Curl(List<string> args)
    {
        var method = HttpMethod.Get;
        var headers = new List<(string Name, string Value)>();
        string? body = null, url = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--silent" or "--show-error" or "--fail-with-body" or "--globoff": break;
                case "--max-time": i++; break;
                case "--request": method = new HttpMethod(args[++i]); break;
                case "--header":
                    var header = args[++i].Split(':', 2);
                    headers.Add((header[0].Trim(), header[1].Trim()));
                    break;
                case "--data-binary": body = args[++i]; break;
                case var a when a.StartsWith('-'): throw new NotSupportedException($"curl option {a} is not modelled here");
                case var a: url = url is null ? a : throw new InvalidOperationException($"two URLs: {url} and {a}"); break;
            }
        }

        var request = new HttpRequestMessage(method, url ?? throw new InvalidOperationException("no URL"));
        var contentType = headers.SingleOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/x-www-form-urlencoded");
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [GeneratedRegex(@"\{\{\s*([^{}\s]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex KubernetesVariable();
}
