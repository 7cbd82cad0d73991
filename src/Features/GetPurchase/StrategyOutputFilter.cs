using System.Text.Json;

namespace Purchases.Features.GetPurchase;

/// <summary>
/// The contract's <c>idmodel</c> filter: the output object itself when its own <c>idmodel</c> matches, otherwise the
/// first object, in document order, of any of its array-valued properties whose <c>idmodel</c> matches; else null.
/// Numbers and strings compare by their text.
/// </summary>
public static class StrategyOutputFilter
{
    public static JsonElement? Apply(JsonElement output, string idmodel)
    {
        if (output.ValueKind != JsonValueKind.Object) return null;
        if (Matches(output, idmodel)) return output;
        foreach (var property in output.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array) continue;
            foreach (var element in property.Value.EnumerateArray())
                if (element.ValueKind == JsonValueKind.Object && Matches(element, idmodel))
                    return element;
        }
        return null;
    }

    static bool Matches(JsonElement candidate, string idmodel) =>
        candidate.TryGetProperty("idmodel", out var value) && value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() == idmodel,
            JsonValueKind.Number => value.GetRawText() == idmodel,
            _ => false,
        };
}
