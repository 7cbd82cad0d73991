using System.Text.Json;

namespace Purchases.Tests.Argo;

/// <summary>
/// Our hand-trimmed OpenAPI document (src/Infrastructure/Argo/argo-workflows-subset.json) may only leave things out
/// of Argo's upstream Swagger: every path, operation, parameter, response, schema and property it has must exist
/// upstream under the same name with a compatible type.
/// </summary>
public sealed class ArgoSubsetSpecTests
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Purchases.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Purchases.sln above {AppContext.BaseDirectory}");
    }

    static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    static JsonElement Subset() => Load(Path.Combine(RepositoryRoot(), "src", "Infrastructure", "Argo", "argo-workflows-subset.json"));

    static (JsonElement Subset, JsonElement Upstream) Documents()
    {
        var upstream = Path.Combine(RepositoryRoot(), "tests", "Purchases.Tests", "Fixtures", "Argo", "argo-workflows-swagger.json");
        return (Subset(), Load(upstream));
    }

    static void AssertNone(List<string> problems) => Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

    [Fact]
    public void The_subset_describes_create_get_list_and_retry_workflow_only()
    {
        var subset = Subset();

        var operations = subset.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => Methods.Contains(op.Name))
                .Select(op => $"{op.Name.ToUpperInvariant()} {path.Name} {op.Value.GetProperty("operationId").GetString()}"))
            .Order();
        Assert.Equal(
        [
            "GET /api/v1/workflows/{namespace} WorkflowService_ListWorkflows",
            "GET /api/v1/workflows/{namespace}/{name} WorkflowService_GetWorkflow",
            "POST /api/v1/workflows/{namespace} WorkflowService_CreateWorkflow",
            "PUT /api/v1/workflows/{namespace}/{name}/retry WorkflowService_RetryWorkflow",
        ], operations);
    }

    [Fact]
    public void Every_operation_of_the_subset_matches_upstream()
    {
        var (subset, upstream) = Documents();
        var problems = new List<string>();

        foreach (var path in subset.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject().Where(op => Methods.Contains(op.Name)))
        {
            var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
            if (!upstream.GetProperty("paths").TryGetProperty(path.Name, out var upstreamPath)
                || !upstreamPath.TryGetProperty(operation.Name, out var upstreamOperation))
            {
                problems.Add($"{where}: not upstream");
                continue;
            }

            var operationId = operation.Value.GetProperty("operationId").GetString();
            if (operationId != upstreamOperation.GetProperty("operationId").GetString())
                problems.Add($"{where}: operationId {operationId} differs upstream");

            foreach (var parameter in operation.Value.GetProperty("parameters").EnumerateArray())
            {
                var name = parameter.GetProperty("name").GetString();
                var @in = parameter.GetProperty("in").GetString();
                var match = upstreamOperation.GetProperty("parameters").EnumerateArray()
                    .Where(p => p.GetProperty("name").GetString() == name && p.GetProperty("in").GetString() == @in)
                    .ToList();
                if (match.Count != 1)
                    problems.Add($"{where}: parameter {name} ({@in}) not upstream");
                else
                    new Comparison(subset, upstream, problems).Compare(parameter, match[0], $"{where} parameter {name}");
            }

            foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
            {
                if (!upstreamOperation.GetProperty("responses").TryGetProperty(response.Name, out var upstreamResponse))
                    problems.Add($"{where}: response {response.Name} not upstream");
                else
                    new Comparison(subset, upstream, problems).Compare(response.Value, upstreamResponse, $"{where} response {response.Name}");
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void Every_schema_of_the_subset_matches_upstream()
    {
        var (subset, upstream) = Documents();
        var problems = new List<string>();

        foreach (var definition in subset.GetProperty("definitions").EnumerateObject())
        {
            if (!upstream.GetProperty("definitions").TryGetProperty(definition.Name, out var upstreamDefinition))
                problems.Add($"{definition.Name}: not upstream");
            else
                new Comparison(subset, upstream, problems).Compare(definition.Value, upstreamDefinition, definition.Name);
        }

        AssertNone(problems);
    }

    [Fact]
    public void The_comparison_notices_a_renamed_property_and_a_changed_type()
    {
        var subset = JsonDocument.Parse("""
            {"definitions":{"A":{"type":"object","properties":{"nmae":{"type":"string"},"count":{"type":"string"},"b":{"$ref":"#/definitions/B"}}},
                            "B":{"type":"object","properties":{"x":{"type":"integer","format":"int32"}}}}}
            """).RootElement;
        var upstream = JsonDocument.Parse("""
            {"definitions":{"A":{"type":"object","properties":{"name":{"type":"string"},"count":{"type":"integer"},"b":{"$ref":"#/definitions/B"}}},
                            "B":{"type":"object","properties":{"x":{"type":"integer"}}}}}
            """).RootElement;
        var problems = new List<string>();

        new Comparison(subset, upstream, problems).Compare(
            subset.GetProperty("definitions").GetProperty("A"), upstream.GetProperty("definitions").GetProperty("A"), "A");

        Assert.Equal(["A.nmae: not upstream", "A.count: type string, upstream integer"], problems);
    }

    /// <summary>Walks a subset schema and the upstream one side by side, resolving $refs in each document.</summary>
    sealed class Comparison(JsonElement subset, JsonElement upstream, List<string> problems)
    {
        readonly HashSet<(string, string)> seen = [];

        public void Compare(JsonElement ours, JsonElement theirs, string where)
        {
            if (ours.TryGetProperty("schema", out var schema))
            {
                if (!theirs.TryGetProperty("schema", out var theirSchema))
                    problems.Add($"{where}: has a schema, upstream has none");
                else
                    Compare(schema, theirSchema, where);
                return;
            }

            var ourRef = RefOf(ours);
            var theirRef = RefOf(theirs);
            if (ourRef is not null || theirRef is not null)
            {
                if (ourRef != theirRef)
                {
                    problems.Add($"{where}: refers to {ourRef ?? "an inline schema"}, upstream to {theirRef ?? "an inline schema"}");
                    return;
                }
                if (!seen.Add((ourRef!, theirRef!))) return;
                ours = Definition(subset, ourRef!);
                theirs = Definition(upstream, theirRef!);
            }

            var ourType = StringOf(ours, "type");
            var theirType = StringOf(theirs, "type");
            if (ourType != theirType)
                problems.Add($"{where}: type {ourType ?? "(none)"}, upstream {theirType ?? "(none)"}");

            var ourFormat = StringOf(ours, "format");
            var theirFormat = StringOf(theirs, "format");
            // Upstream leaves int32 fields (e.g. grpc code) without a format; naming one is a refinement.
            if (ourFormat != theirFormat && !(theirFormat is null && ourType == "integer" && ourFormat is "int32" or "int64"))
                problems.Add($"{where}: format {ourFormat ?? "(none)"}, upstream {theirFormat ?? "(none)"}");

            if (ours.TryGetProperty("required", out var ourRequired))
            {
                var theirRequired = theirs.TryGetProperty("required", out var required) ? required : default;
                if (ourRequired.ValueKind != JsonValueKind.Array) // a parameter's flag
                {
                    if (ourRequired.ValueKind != theirRequired.ValueKind)
                        problems.Add($"{where}: required {ourRequired}, upstream {theirRequired}");
                }
                else
                {
                    var theirNames = theirRequired.ValueKind == JsonValueKind.Array
                        ? theirRequired.EnumerateArray().Select(r => r.GetString()).ToHashSet()
                        : [];
                    foreach (var name in ourRequired.EnumerateArray().Select(r => r.GetString()).Where(r => !theirNames.Contains(r)))
                        problems.Add($"{where}: {name} is required here, optional upstream");
                }
            }

            if (ours.TryGetProperty("properties", out var properties))
                foreach (var property in properties.EnumerateObject())
                {
                    if (theirs.TryGetProperty("properties", out var theirProperties)
                        && theirProperties.TryGetProperty(property.Name, out var theirProperty))
                        Compare(property.Value, theirProperty, $"{where}.{property.Name}");
                    else
                        problems.Add($"{where}.{property.Name}: not upstream");
                }

            foreach (var nested in new[] { "items", "additionalProperties" })
                if (ours.TryGetProperty(nested, out var ourNested) && ourNested.ValueKind == JsonValueKind.Object)
                {
                    if (theirs.TryGetProperty(nested, out var theirNested) && theirNested.ValueKind == JsonValueKind.Object)
                        Compare(ourNested, theirNested, $"{where}[{nested}]");
                    else
                        problems.Add($"{where}: has {nested}, upstream has none");
                }
        }

        static string? RefOf(JsonElement schema) => StringOf(schema, "$ref") is { } r ? r["#/definitions/".Length..] : null;

        static string? StringOf(JsonElement schema, string name) =>
            schema.TryGetProperty(name, out var value) ? value.GetString() : null;

        static JsonElement Definition(JsonElement document, string name) => document.GetProperty("definitions").GetProperty(name);
    }
}
