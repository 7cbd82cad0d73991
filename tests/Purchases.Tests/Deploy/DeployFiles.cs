using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Purchases.Tests.Deploy;

/// <summary>The files under deploy/, read as text or as YAML turned into JSON nodes.</summary>
static partial class DeployFiles
{
    public static string RepositoryRoot => Infrastructure.RepositoryRoot.Path;

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(RepositoryRoot, relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML file, as JSON.</summary>
    public static List<JsonObject> Yaml(string relative) => ParseYaml(Text(relative));

    public static List<JsonObject> ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => ToJson(d.RootNode)!.AsObject()).ToList();
    }

    /// <summary>The one document of <paramref name="kind"/> named <paramref name="name"/> among the files' documents.</summary>
    public static JsonObject Resource(IEnumerable<JsonObject> documents, string kind, string name) =>
        Assert.Single(documents, d => (string?)d["kind"] == kind && (string?)d["metadata"]?["name"] == name);

    /// <summary>YAML to JSON the way Kubernetes reads it: plain scalars may be null, booleans or numbers; quoted ones
    /// are strings. Duplicate keys throw, as they do for kubectl.</summary>
    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value!, ToJson(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(value);
        if (value is "" or "~" or "null" or "Null" or "NULL") return null;
        if (value is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (value is "false" or "False" or "FALSE") return JsonValue.Create(false);
        // Through JSON text, so the node converts to any numeric type as a parsed document's would.
        if (Integer().IsMatch(value)) return JsonNode.Parse(long.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        if (Float().IsMatch(value)) return JsonNode.Parse(double.Parse(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    /// <summary>The elements of a JSON array property, or none.</summary>
    public static IEnumerable<JsonObject> Items(JsonNode? node, string property) =>
        node?[property] is JsonArray array ? array.Select(item => item!.AsObject()) : [];
}
