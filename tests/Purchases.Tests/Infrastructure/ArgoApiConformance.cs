using System.Text.Json;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// Checks a request against Argo's upstream Swagger document (the fixture): the path and method exist, every query
/// parameter is declared for that operation, and every property of the JSON body exists in the upstream schema
/// with a compatible JSON type. The fake Argo answers 400 to a request that does not conform, so a client that
/// drifted from the real API fails its tests.
/// </summary>
public static class ArgoApiConformance
{
    static readonly Lazy<JsonElement> Upstream = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(RepositoryRoot.Path, "tests", "Purchases.Tests", "Fixtures", "Argo", "argo-workflows-swagger.json"))).RootElement.Clone());

    /// <summary>The problems of this request, none when it conforms.</summary>
    public static List<string> Check(string method, string path, IEnumerable<string> queryNames, JsonElement? body)
    {
        var problems = new List<string>();
        if (FindOperation(method.ToLowerInvariant(), path) is not { } operation)
        {
            problems.Add($"{method} {path} is not an operation of Argo's API");
            return problems;
        }
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        foreach (var name in queryNames)
            if (!parameters.Any(x => x.GetProperty("in").GetString() == "query" && x.GetProperty("name").GetString() == name))
                problems.Add($"{method} {path}: query parameter '{name}' is not declared upstream");
        if (body is { } json && parameters.FirstOrDefault(x => x.GetProperty("in").GetString() == "body") is { ValueKind: JsonValueKind.Object } b)
            CheckValue(json, b.GetProperty("schema"), "body", problems);
        return problems;
    }

    static JsonElement? FindOperation(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var template in Upstream.Value.GetProperty("paths").EnumerateObject())
        {
            var parts = template.Name.Trim('/').Split('/');
            if (parts.Length != segments.Length) continue;
            if (parts.Zip(segments).All(x => x.First.StartsWith('{') || x.First == x.Second)
                && template.Value.TryGetProperty(method, out var operation))
                return operation;
        }
        return null;
    }

    static void CheckValue(JsonElement value, JsonElement schema, string where, List<string> problems)
    {
        schema = Resolve(schema);
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when type is null or "object":
                var properties = schema.TryGetProperty("properties", out var props) ? props : default;
                var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var child))
                        CheckValue(property.Value, child, $"{where}.{property.Name}", problems);
                    else if (additional.ValueKind == JsonValueKind.Object)
                        CheckValue(property.Value, additional, $"{where}.{property.Name}", problems);
                    else
                        problems.Add($"{where}.{property.Name} is not in Argo's schema");
                }
                break;
            case JsonValueKind.Array when type == "array":
                foreach (var (item, i) in value.EnumerateArray().Select((x, i) => (x, i)))
                    CheckValue(item, schema.GetProperty("items"), $"{where}[{i}]", problems);
                break;
            case JsonValueKind.String when type is "string" or null:
            case JsonValueKind.Number when type is "integer" or "number":
            case JsonValueKind.True or JsonValueKind.False when type == "boolean":
            case JsonValueKind.Null:
                break;
            default:
                problems.Add($"{where} is a JSON {value.ValueKind}, Argo's schema says {type}");
                break;
        }
    }

    static JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? Resolve(Upstream.Value.GetProperty("definitions").GetProperty(reference.GetString()!["#/definitions/".Length..]))
            : schema;
}
