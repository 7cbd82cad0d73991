using System.Globalization;
using System.Text;
using NodaTime;

namespace Purchases.Bench;

/// <summary><c>--name value</c> pairs; a name may repeat (<see cref="All"/>).</summary>
public sealed class Args
{
    readonly List<(string Name, string Value)> pairs = [];

    public Args(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            var name = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
            pairs.Add((name, value));
        }
    }

    public string? Get(string name) => pairs.LastOrDefault(p => p.Name == name).Value;
    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");
    public string Get(string name, string fallback) => Get(name) ?? fallback;
    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Double(string name, double fallback) =>
        Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public IEnumerable<string> All(string name) => pairs.Where(p => p.Name == name).Select(p => p.Value);
}

public static class JsonPost
{
    /// <summary>A POST of a JSON body, with a Bearer token unless it is empty (the limits take none).</summary>
    public static HttpRequestMessage To(string url, string token, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (token.Length > 0) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}

public static class Clock
{
    /// <summary>Wall-clock time in milliseconds since the epoch; the processes compared run on one machine.</summary>
    public static double UnixMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}

public static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..100) of already sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? double.NaN
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    public static string F(double value, int decimals = 2) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "null" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}

/// <summary>The schedules the bench submits: local quarter-hours in Europe/Madrid, as the service validates them.</summary>
public static class Schedules
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Madrid"];

    public sealed record Row(LocalDateTime Local, Instant Instant, decimal Mw);

    /// <summary>One ordinary day: 96 rows.</summary>
    public static Row[] Day() => Between(new LocalDate(2025, 1, 15), new LocalDate(2025, 1, 16));

    /// <summary>
    /// The local quarter-hours of 2025: the spring-forward hour (30 March 02:00–02:45) does not exist, the fall-back
    /// hour (26 October 02:00–02:45) comes twice, summer offset first; 365 × 96 = 35,040 rows.
    /// </summary>
    public static Row[] Year() => Between(new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1));

    static Row[] Between(LocalDate from, LocalDate to)
    {
        var start = from.AtStartOfDayInZone(Zone).ToInstant();
        var end = to.AtStartOfDayInZone(Zone).ToInstant();
        var rows = new List<Row>();
        for (var (t, i) = (start, 0); t < end; t += Duration.FromMinutes(15), i++)
            rows.Add(new Row(t.InZone(Zone).LocalDateTime, t, 10m + (i % 40) * 0.25m));
        return [.. rows];
    }

    public static string Json(IEnumerable<Row> rows)
    {
        var sb = new StringBuilder("{\"purchase\":[");
        var first = true;
        foreach (var r in rows)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append("{\"datetime\":\"").Append(r.Local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
              .Append("\",\"purchase\":").Append(r.Mw.ToString("0.000", CultureInfo.InvariantCulture)).Append('}');
        }
        return sb.Append("]}").ToString();
    }
}

public static class Bodies
{
    public static int Run(Args args)
    {
        var dir = args.Required("out");
        Directory.CreateDirectory(dir);
        var day = Schedules.Day();
        var year = Schedules.Year();
        if (day.Length != 96 || year.Length != 35_040)
            throw new InvalidOperationException($"expected 96 and 35,040 rows, got {day.Length} and {year.Length}");
        File.WriteAllText(Path.Combine(dir, "submit-96.json"), Schedules.Json(day));
        File.WriteAllText(Path.Combine(dir, "submit-35040.json"), Schedules.Json(year));
        File.WriteAllText(Path.Combine(dir, "tiny.json"), Schedules.Json(day.Take(1)));
        // What the strategy workflow reports back: the peer's bench.sh fixture, 3 models x 96 numbers.
        var series = string.Join(',', Enumerable.Range(1, 96));
        File.WriteAllText(Path.Combine(dir, "update.json"),
            "{\"status\":\"completed\",\"error\":\"\",\"outputs\":{\"models\":[" +
            string.Join(',', Enumerable.Range(1, 3).Select(m => $"{{\"idmodel\":{m},\"values\":[{series}]}}")) + "]}}");
        Console.WriteLine($"bodies: 96 rows ({new FileInfo(Path.Combine(dir, "submit-96.json")).Length} bytes), " +
                          $"35,040 rows ({new FileInfo(Path.Combine(dir, "submit-35040.json")).Length} bytes) in {dir}");
        return 0;
    }
}
