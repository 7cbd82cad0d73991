using System.Text;
using System.Text.Json;
using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Reads the submit body with its raw JSON types (so <c>"12"</c> is not taken for a number) and applies the
/// contract's checks 3 to 8 in order; the first failure is the answer. Two passes of a <see cref="Utf8JsonReader"/>
/// over the body instead of a <see cref="JsonDocument"/>, whose index of a year-long body is a 2 MiB array rented
/// from the shared pool and kept by every thread that parsed one: <see cref="Parse"/> checks the document's shape
/// (checks 3 to 5), and <see cref="ReadItems"/> reads and checks the items (6 to 8) a run at a time, as the schedule
/// is stored (see <see cref="PurchaseSchedule.ReadRun"/>). Duplicate property names resolve as
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> does: the last wins.
/// </summary>
public static class PurchaseScheduleParser
{
    /// <summary>Where the top-level "purchase" value starts, what it is, and for an array its items.</summary>
    readonly record struct Shape(bool RootIsObject, int PurchaseStart, JsonTokenType PurchaseToken, int Count, bool AllObjects);

    /// <summary>
    /// Checks 3 to 5; on success the schedule owns <paramref name="body"/>, its items not yet read. On failure the
    /// body is disposed.
    /// </summary>
    public static (PurchaseSchedule? Schedule, string? Error) Parse(PooledBody body, DateTimeZone zone, int maxItems)
    {
        var error = ShapeError(body.Memory.Span, maxItems, out var shape);
        if (error is not null)
        {
            body.Dispose();
            return (null, error);
        }
        return (new PurchaseSchedule(body, shape.PurchaseStart, shape.Count, zone), null);
    }

    static string? ShapeError(ReadOnlySpan<byte> body, int maxItems, out Shape shape)
    {
        if (!TrySurvey(body, out shape))
            return ApiErrors.InvalidJson;
        if (!shape.RootIsObject || shape.PurchaseStart < 0)
            return "Missing required field \"purchase\".";
        if (shape.PurchaseToken != JsonTokenType.StartArray || !shape.AllObjects)
            return "Field \"purchase\" must be an array of objects.";
        if (shape.Count == 0)
            return "Field \"purchase\" must contain at least one item.";
        if (shape.Count > maxItems)
            return $"Field \"purchase\" has {shape.Count} items; at most {maxItems} are allowed.";
        return null;
    }

    /// <summary>The first pass: the whole body must be one valid JSON value (as <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> requires).</summary>
    static bool TrySurvey(ReadOnlySpan<byte> json, out Shape shape)
    {
        shape = new Shape(false, -1, JsonTokenType.None, 0, true);
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read()) return false;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
            }
            else
            {
                shape = shape with { RootIsObject = true };
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isPurchase = reader.ValueTextEquals("purchase"u8);
                    reader.Read();
                    if (isPurchase) shape = SurveyPurchase(ref reader, shape);
                    else reader.Skip();
                }
            }
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static Shape SurveyPurchase(ref Utf8JsonReader reader, Shape shape)
    {
        shape = shape with { PurchaseStart = (int)reader.TokenStartIndex, PurchaseToken = reader.TokenType, Count = 0, AllObjects = true };
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return shape;
        }
        var (count, allObjects) = (0, true);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            allObjects &= reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
        }
        return shape with { Count = count, AllObjects = allObjects };
    }

    /// <summary>
    /// The second pass, over the "purchase" array (known to hold only objects), resumable: reads items from where
    /// <paramref name="reader"/> stands, until <paramref name="index"/> reaches <paramref name="upTo"/>, checking 6 to
    /// 8 item by item and filling <paramref name="schedule"/>'s arrays (the instants and megawatts from its run's
    /// start); the first failure's message, or null.
    /// </summary>
    internal static string? ReadItems(ref Utf8JsonReader reader, ref int index, int upTo, PurchaseSchedule schedule)
    {
        var (localTimes, instants, megawatts) = (schedule.LocalTimes, schedule.Instants, schedule.Megawatts);
        var (mapper, seen, zone) = (schedule.Mapper, schedule.Seen, schedule.Zone);
        while (index < upTo && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            bool hasDatetime = false, hasPurchase = false, datetimeValid = false, purchaseValid = false;
            LocalDateTime local = default;
            decimal mw = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDatetime = reader.ValueTextEquals("datetime"u8);
                var isPurchase = !isDatetime && reader.ValueTextEquals("purchase"u8);
                reader.Read();
                if (isDatetime)
                {
                    hasDatetime = true;
                    datetimeValid = TryParseLocalTime(ref reader, out local);
                }
                else if (isPurchase)
                {
                    hasPurchase = true;
                    purchaseValid = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out mw);
                }
                reader.Skip();
            }

            if (!hasDatetime)
                return $"Purchase item at index {index} is missing required field \"datetime\".";
            if (!hasPurchase)
                return $"Purchase item at index {index} is missing required field \"purchase\".";
            if (!datetimeValid)
                return $"Purchase item at index {index}: invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").";
            if (!purchaseValid)
                return $"Purchase item at index {index}: field \"purchase\" must be a number (in MW unit).";

            var instantsNamed = mapper.Map(local, out var earlierInstant, out var laterInstant);
            if (instantsNamed == 0)
                return $"Purchase item at index {index}: datetime \"{Format(local)}\" does not exist in time zone {zone.Id}.";

            localTimes[index] = local;
            var (firstIndex, timesBefore) = seen.Add(index);
            Instant instant;
            if (timesBefore == 0)
                instant = earlierInstant;
            else if (timesBefore == 1 && instantsNamed == 2)
                // The fall-back hour happens twice: the second mention is the later instant (winter offset).
                instant = laterInstant;
            else
                return $"Purchase item at index {index}: duplicate datetime \"{Format(local)}\" (first given at index {firstIndex}).";

            instants[index - schedule.RunStart] = instant;
            megawatts[index - schedule.RunStart] = mw;
            index++;
        }

        return null;
    }

    /// <summary>Exactly <c>YYYY-MM-DD HH:MM</c>, a real calendar date, hours 00–23, read straight from the UTF-8.</summary>
    static bool TryParseLocalTime(ref Utf8JsonReader reader, out LocalDateTime local)
    {
        local = default;
        if (reader.TokenType != JsonTokenType.String) return false;
        ReadOnlySpan<byte> text;
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            if (text.Length != 16) return false;
        }
        else
        {
            var value = reader.GetString()!;
            if (value.Length != 16 || !Ascii.IsValid(value)) return false;
            text = Encoding.ASCII.GetBytes(value);
        }

        if (text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':') return false;
        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) ||
            !TryDigits(text[8..10], out var day) || !TryDigits(text[11..13], out var hour) ||
            !TryDigits(text[14..16], out var minute))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) ||
            hour > 23 || minute > 59)
            return false;
        local = new LocalDateTime(year, month, day, hour, minute);
        return true;
    }

    static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (d - '0');
        }
        return true;
    }

    static string Format(LocalDateTime local) =>
        $"{local.Year:D4}-{local.Month:D2}-{local.Day:D2} {local.Hour:D2}:{local.Minute:D2}";
}
