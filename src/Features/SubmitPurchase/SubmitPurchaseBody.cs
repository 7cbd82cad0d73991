namespace Purchases.Features.SubmitPurchase;

/// <summary>The body as documented (the binder reads the raw JSON itself, to name each mistake precisely).</summary>
public sealed record SubmitPurchaseBody(IReadOnlyList<SubmitPurchaseItem> Purchase)
{
    /// <summary>The seed's example.</summary>
    public const string Example = """
        {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, {"datetime": "2025-11-11 00:30", "purchase": 13.0}]}
        """;
}

/// <param name="Datetime">Local market time, exactly <c>YYYY-MM-DD HH:MM</c> (e.g. <c>2025-11-11 00:15</c>).</param>
/// <param name="Purchase">Megawatts, a JSON number.</param>
public sealed record SubmitPurchaseItem(string Datetime, decimal Purchase);
