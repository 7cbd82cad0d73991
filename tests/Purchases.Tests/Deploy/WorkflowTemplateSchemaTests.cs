using System.Text.Json.Nodes;

namespace Purchases.Tests.Deploy;

/// <summary>deploy/argo/workflowtemplate.yaml against Argo's own JSON Schema (no cluster here to apply it to).</summary>
public sealed class WorkflowTemplateSchemaTests
{
    const string TemplateFile = "deploy/argo/workflowtemplate.yaml";

    static JsonObject Template() => Assert.Single(DeployFiles.Yaml(TemplateFile));

    static void AssertValid(bool strict, JsonNode template)
    {
        var results = ArgoSchema.Evaluate(ArgoSchema.WorkflowTemplate(strict), template);
        Assert.True(results.IsValid, "not valid against Argo's schema:" + Environment.NewLine + ArgoSchema.ErrorsOf(results));
    }

    static void AssertInvalid(bool strict, JsonNode template)
    {
        Assert.False(ArgoSchema.Evaluate(ArgoSchema.WorkflowTemplate(strict), template).IsValid,
            "expected invalid: " + template.ToJsonString());
    }

    /// <summary>Sets the value at a slash-separated path (object keys, array indexes) of a copy of the template.</summary>
    static JsonObject Mutated(string path, string json)
    {
        var copy = Template();
        var segments = path.Split('/');
        JsonNode parent = copy;
        foreach (var segment in segments[..^1])
            parent = (parent is JsonArray array ? array[int.Parse(segment)] : parent[segment])
                ?? throw new InvalidOperationException($"{path}: nothing at {segment}");
        if (parent is JsonArray items) items[int.Parse(segments[^1])] = JsonNode.Parse(json);
        else parent[segments[^1]] = JsonNode.Parse(json);
        return copy;
    }

    [Fact]
    public void The_workflow_template_is_valid_against_argos_json_schema() => AssertValid(strict: false, Template());

    [Fact]
    public void The_workflow_template_uses_only_fields_argos_schema_defines() => AssertValid(strict: true, Template());

    [Theory]
    [InlineData("spec/templates", "\"not-a-list\"")]
    [InlineData("kind", "\"Workflow\"")]
    [InlineData("spec/entrypoint", "1")]
    [InlineData("spec/arguments/parameters/0", "{\"value\": \"no name\"}")]
    [InlineData("spec/templates/0/steps", "{}")]
    // IntOrString is a string in Argo's schema: a retry limit must be quoted.
    [InlineData("spec/templates/2/retryStrategy/limit", "5")]
    public void A_broken_copy_of_the_workflow_template_is_invalid_against_argos_json_schema(string path, string json) =>
        AssertInvalid(strict: false, Mutated(path, json));

    [Fact]
    public void A_misspelt_field_passes_argos_own_schema_but_not_the_strict_check()
    {
        var misspelt = Mutated("spec/templates/2/retrystrategy", "{\"limit\": \"5\"}");

        AssertValid(strict: false, misspelt);
        AssertInvalid(strict: true, misspelt);
    }
}
