using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Purchases.Tests.Features.SubmitPurchase;

/// <summary>
/// The contract's checks 3 to 8 for a submit body, written the plain way (a <see cref="JsonDocument"/>, NodaTime's
/// <c>MapLocal</c>, a dictionary of the times seen): the model the service's streaming parser is compared with.
/// </summary>
public static class ReferenceScheduleModel
{
    static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
    static readonly LocalDateTimePattern Pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm");

    public sealed record Row(string Instant, string Mw);

    /// <summary>The error message the contract requires, or the rows in order (instant in UTC, MW as sent).</summary>
    public static (string? Error, List<Row> Rows) Evaluate(string body, int maxItems = 35_136)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
        }
        catch (JsonException)
        {
            return ("Request body must be valid JSON.", []);
        }
        using (document)
            return Evaluate(document.RootElement, maxItems);
    }

    static (string?, List<Row>) Evaluate(JsonElement root, int maxItems)
    {
        var rows = new List<Row>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("purchase", out var items))
            return ("Missing required field \"purchase\".", rows);
        if (items.ValueKind != JsonValueKind.Array || items.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Object))
            return ("Field \"purchase\" must be an array of objects.", rows);
        var count = items.GetArrayLength();
        if (count == 0) return ("Field \"purchase\" must contain at least one item.", rows);
        if (count > maxItems) return ($"Field \"purchase\" has {count} items; at most {maxItems} are allowed.", rows);

        var seen = new Dictionary<LocalDateTime, (int First, int Times)>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("datetime", out var datetime))
                return ($"Purchase item at index {index} is missing required field \"datetime\".", rows);
            if (!item.TryGetProperty("purchase", out var purchase))
                return ($"Purchase item at index {index} is missing required field \"purchase\".", rows);
            if (datetime.ValueKind != JsonValueKind.String || datetime.GetString() is not { } text ||
                !Regex.IsMatch(text, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$") ||
                int.Parse(text[11..13]) > 23 || // NodaTime reads 24:00 as the next midnight; the contract's format does not
                !Pattern.Parse(text).TryGetValue(default, out var local) || local.Year < 1)
                return ($"Purchase item at index {index}: invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").", rows);
            if (purchase.ValueKind != JsonValueKind.Number || !purchase.TryGetDecimal(out var mw))
                return ($"Purchase item at index {index}: field \"purchase\" must be a number (in MW unit).", rows);
            var mapping = Madrid.MapLocal(local);
            if (mapping.Count == 0)
                return ($"Purchase item at index {index}: datetime \"{text}\" does not exist in time zone Europe/Madrid.", rows);
            Instant instant;
            if (!seen.TryGetValue(local, out var earlier))
            {
                seen[local] = (index, 1);
                instant = mapping.First().ToInstant();
            }
            else if (earlier.Times == 1 && mapping.Count == 2)
            {
                seen[local] = (earlier.First, 2);
                instant = mapping.Last().ToInstant();
            }
            else
            {
                return ($"Purchase item at index {index}: duplicate datetime \"{text}\" (first given at index {earlier.First}).", rows);
            }
            rows.Add(new Row(InstantPattern.General.Format(instant), mw.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            index++;
        }
        return (null, rows);
    }
}
