namespace Purchases.Features.UpdatePurchase;

/// <summary>The body as documented (the binder checks the raw JSON types itself).</summary>
/// <param name="Outputs">The strategy's output object; replaces the stored one.</param>
/// <param name="Status">One of failed, pending, in_progress, completed.</param>
/// <param name="Error">Optional; omitted or null is stored as an empty string.</param>
public sealed record UpdatePurchaseBody(Dictionary<string, object?> Outputs, string Status, string? Error)
{
    public const string Example = """
        {"outputs": {"idmodel": 7, "models": [{"idmodel": 8, "buy": [1.5, 2.0]}]}, "status": "completed", "error": ""}
        """;
}
