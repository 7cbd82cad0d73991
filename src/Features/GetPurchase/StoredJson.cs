using System.Text.Json;
using System.Text.Json.Serialization;

namespace Purchases.Features.GetPurchase;

/// <summary>
/// JSON as PostgreSQL gives back a jsonb value (valid by construction), written into the response as it is instead
/// of being parsed into a document and written again: most of a get-purchase's work when the output is large.
/// </summary>
[JsonConverter(typeof(StoredJsonConverter))]
[Newtonsoft.Json.JsonConverter(typeof(StoredJsonExampleConverter))] // NSwag writes the OpenAPI examples with Json.NET
public readonly record struct StoredJson(string Text)
{
    public static StoredJson From(JsonElement element) => new(element.GetRawText());
}

public sealed class StoredJsonConverter : JsonConverter<StoredJson>
{
    public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StoredJson.From(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}

public sealed class StoredJsonExampleConverter : Newtonsoft.Json.JsonConverter<StoredJson>
{
    public override StoredJson ReadJson(Newtonsoft.Json.JsonReader reader, Type objectType, StoredJson existingValue,
        bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer) =>
        new(Newtonsoft.Json.Linq.JToken.ReadFrom(reader).ToString(Newtonsoft.Json.Formatting.None));

    public override void WriteJson(Newtonsoft.Json.JsonWriter writer, StoredJson value, Newtonsoft.Json.JsonSerializer serializer) =>
        writer.WriteRawValue(value.Text);
}
