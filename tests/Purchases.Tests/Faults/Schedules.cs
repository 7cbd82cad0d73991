using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Purchases.Tests.Faults;

/// <summary>Submit bodies in Europe/Madrid local time (the default market time zone).</summary>
internal static class Schedules
{
    public const int QuarterHoursOf2025 = 35_040;

    /// <summary>96 quarter-hours of a day without a clock change, from 00:00; values vary with <paramref name="seed"/>.</summary>
    public static string OneDay(int seed, DateOnly? day = null)
    {
        var start = (day ?? new DateOnly(2025, 11, 11)).ToDateTime(TimeOnly.MinValue);
        return Body(Enumerable.Range(0, 96).Select(i => start.AddMinutes(15 * i)), seed);
    }

    /// <summary>
    /// Every local quarter-hour of 2025 in Madrid: the 02:00–02:45 gap of 2025-03-30 left out, and each 02:xx of
    /// 2025-10-26 given twice (the summer-time instant first, then the winter-time one): 35,040 items.
    /// </summary>
    public static string YearOf2025()
    {
        var times = new List<DateTime>(QuarterHoursOf2025);
        var springGap = new DateTime(2025, 3, 30, 2, 0, 0);
        var autumnHour = new DateTime(2025, 10, 26, 2, 0, 0);
        for (var t = new DateTime(2025, 1, 1); t.Year == 2025; t = t.AddMinutes(15))
        {
            if (t >= springGap && t < springGap.AddHours(1)) continue;
            times.Add(t);
            // After 02:45 of the autumn day, the repeated hour once more.
            if (t == autumnHour.AddMinutes(45))
                for (var again = autumnHour; again < autumnHour.AddHours(1); again = again.AddMinutes(15))
                    times.Add(again);
        }
        if (times.Count != QuarterHoursOf2025) throw new InvalidOperationException($"{times.Count} quarter-hours, not {QuarterHoursOf2025}");
        return Body(times, seed: 7);
    }

    static string Body(IEnumerable<DateTime> times, int seed)
    {
        var json = new StringBuilder("{\"purchase\": [");
        var i = 0;
        foreach (var t in times)
        {
            if (i > 0) json.Append(", ");
            var mw = ((seed * 31 + i * 7) % 5000) / 100m;
            json.Append("{\"datetime\": \"").Append(t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Append("\", \"purchase\": ").Append(mw.ToString(CultureInfo.InvariantCulture)).Append('}');
            i++;
        }
        return json.Append("]}").ToString();
    }

    public static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static string SubmitUrl(string user, string retailerId) =>
        $"/api/v0/user/{user}/submit-purchase?retailer_id={retailerId}";
}
