using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NodaTime;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Reads the submit body with its raw JSON types (so <c>"12"</c> is not taken for a number) and applies the
/// contract's checks 3 to 8 in order; the first failure is the answer.
/// </summary>
public static class PurchaseScheduleParser
{
    public static (PurchaseSchedule? Schedule, string? Error) Parse(ReadOnlyMemory<byte> body, DateTimeZone zone, int maxItems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (null, ApiErrors.InvalidJson);
        }

        using (document)
            return Parse(document.RootElement, zone, maxItems);
    }

    static (PurchaseSchedule?, string?) Parse(JsonElement root, DateTimeZone zone, int maxItems)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("purchase", out var items))
            return (null, "Missing required field \"purchase\".");
        if (items.ValueKind != JsonValueKind.Array || items.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Object))
            return (null, "Field \"purchase\" must be an array of objects.");
        var count = items.GetArrayLength();
        if (count == 0)
            return (null, "Field \"purchase\" must contain at least one item.");
        if (count > maxItems)
            return (null, $"Field \"purchase\" has {count} items; at most {maxItems} are allowed.");

        var schedule = new PurchaseSchedule(count);
        if (Fill(schedule, items, zone) is { } error)
        {
            schedule.Dispose();
            return (null, error);
        }
        return (schedule, null);
    }

    /// <summary>Checks 6 to 8 item by item, filling <paramref name="schedule"/>; the first failure's message, or null.</summary>
    static string? Fill(PurchaseSchedule schedule, JsonElement items, DateTimeZone zone)
    {
        var (localTimes, instants, megawatts) = (schedule.LocalTimes, schedule.Instants, schedule.Megawatts);
        var mapper = new LocalTimeMapper(zone);
        using var seen = new SeenLocalTimes(localTimes);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("datetime", out var datetime))
                return $"Purchase item at index {index} is missing required field \"datetime\".";
            if (!item.TryGetProperty("purchase", out var purchase))
                return $"Purchase item at index {index} is missing required field \"purchase\".";
            if (!TryParseLocalTime(datetime, out var local))
                return $"Purchase item at index {index}: invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").";
            if (purchase.ValueKind != JsonValueKind.Number || !purchase.TryGetDecimal(out var mw))
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

            instants[index] = instant;
            megawatts[index] = mw;
            index++;
        }

        return null;
    }

    /// <summary>Exactly <c>YYYY-MM-DD HH:MM</c>, a real calendar date, hours 00–23, read straight from the UTF-8.</summary>
    static bool TryParseLocalTime(JsonElement element, out LocalDateTime local)
    {
        local = default;
        if (element.ValueKind != JsonValueKind.String) return false;
        // The raw value is quoted; with escapes it is longer than the 18 bytes of a plain "YYYY-MM-DD HH:MM".
        var raw = JsonMarshal.GetRawUtf8Value(element);
        ReadOnlySpan<byte> text;
        if (raw.Length == 18 && raw.IndexOf((byte)'\\') < 0)
        {
            text = raw.Slice(1, 16);
        }
        else
        {
            var value = element.GetString()!;
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
