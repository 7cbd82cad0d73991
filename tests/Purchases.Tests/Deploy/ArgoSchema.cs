using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Purchases.Tests.Deploy;

/// <summary>
/// Argo's JSON Schema of its resources (a fixture: tests/Purchases.Tests/Fixtures/Argo, Argo v4.1), narrowed to the
/// WorkflowTemplate definition by a one-line schema that <c>$ref</c>s it inside the registered document.
/// </summary>
static class ArgoSchema
{
    const string WorkflowTemplateDefinition = "io.argoproj.workflow.v1alpha1.WorkflowTemplate";

    public static string FilePath => DeployFiles.PathOf(Path.Combine("tests", "Purchases.Tests", "Fixtures", "Argo", "argo-workflows-jsonschema.json"));

    static readonly Lazy<JsonSchema> Upstream = new(() => Build(strict: false));
    static readonly Lazy<JsonSchema> Strict = new(() => Build(strict: true));

    /// <summary>
    /// The WorkflowTemplate schema as Argo ships it, or, when <paramref name="strict"/>, with
    /// <c>additionalProperties: false</c> added to every object definition: Argo's schema has none, so on its own
    /// it accepts a misspelt field (which Argo would then silently ignore).
    /// </summary>
    public static JsonSchema WorkflowTemplate(bool strict = false) =>
        (strict ? Strict : Upstream).Value;

    static JsonSchema Build(bool strict)
    {
        var document = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
        // Argo's own $id, or one of ours for the altered copy, so the two can never be mistaken for each other.
        var id = strict ? "https://purchases.test/argo-jsonschema-strict.json" : (string)document["$id"]!;
        if (strict)
        {
            document["$id"] = id;
            foreach (var (_, definition) in document["definitions"]!.AsObject())
                if (definition is JsonObject d && d.ContainsKey("properties") && !d.ContainsKey("additionalProperties"))
                    d["additionalProperties"] = false;
        }

        // The document declares draft 2020-12 and carries Kubernetes' x-* keywords, which that dialect allows.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
        JsonSchema.Build(JsonSerializer.SerializeToElement(document), options, new Uri(id));
        return JsonSchema.FromText($$"""{"$ref": "{{id}}#/definitions/{{WorkflowTemplateDefinition}}"}""", options);
    }

    public static EvaluationResults Evaluate(JsonSchema schema, JsonNode instance) =>
        schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });

    public static string ErrorsOf(EvaluationResults results) => string.Join(Environment.NewLine,
        (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value} ({d.SchemaLocation})")));
}
