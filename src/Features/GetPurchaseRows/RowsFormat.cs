using Microsoft.Net.Http.Headers;

namespace Purchases.Features.GetPurchaseRows;

public enum RowsFormat { Json, Csv, NotAcceptable }

/// <summary>
/// JSON unless the <c>Accept</c> header prefers <c>text/csv</c>: by quality, then by how exactly a range names the type
/// (<c>text/csv</c> over <c>text/*</c> over <c>*/*</c>); no <c>Accept</c> is JSON, an <c>Accept</c> that allows neither is 406.
/// </summary>
public static class RowsFormats
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";

    public static RowsFormat Negotiate(IList<string> accept)
    {
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
            return RowsFormat.Json;
        var json = Score(ranges, "application", "json");
        var csv = Score(ranges, "text", "csv");
        if (csv.Quality <= 0 && json.Quality <= 0) return RowsFormat.NotAcceptable;
        return csv.CompareTo(json) > 0 ? RowsFormat.Csv : RowsFormat.Json;
    }

    /// <summary>The quality the most exact matching range gives the type, and how exact that range is (0–2).</summary>
    static (double Quality, int Exactness) Score(IList<MediaTypeHeaderValue> ranges, string type, string subtype)
    {
        (double Quality, int Exactness) best = (0, -1);
        foreach (var range in ranges)
        {
            var exactness =
                range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && range.SubType.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2
                : range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && range.SubType == "*" ? 1
                : range.Type == "*" && range.SubType == "*" ? 0
                : -1;
            if (exactness > best.Exactness) best = (range.Quality ?? 1.0, exactness);
        }
        return best.Exactness < 0 ? (0, -1) : best;
    }
}
