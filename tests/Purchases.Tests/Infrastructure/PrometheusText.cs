using System.Globalization;
using System.Text.RegularExpressions;

namespace Purchases.Tests.Infrastructure;

/// <summary>Values read from a <c>/metrics</c> scrape (Prometheus' text format).</summary>
public static class PrometheusText
{
    /// <summary>The value of the first sample of <paramref name="series"/> whose labels contain <paramref name="label"/> (e.g. <c>result="due"</c>); null when there is none.</summary>
    public static double? ValueOf(string scrape, string series, string? label = null)
    {
        var labels = label is null ? @"(\{[^}]*\})?" : $@"\{{[^}}]*{Regex.Escape(label)}[^}}]*\}}";
        var match = Regex.Match(scrape, $@"(?m)^{Regex.Escape(series)}{labels} (\S+)");
        return match.Success ? double.Parse(match.Groups[match.Groups.Count - 1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Scrapes <c>/metrics</c> every 100 ms until <paramref name="done"/> holds (at most 15 s); the last scrape.</summary>
    public static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done, CancellationToken ct)
    {
        var scrape = "";
        for (var waited = 0; waited < 150 && !done(scrape); waited++)
        {
            await Task.Delay(100, ct);
            scrape = await client.GetStringAsync("/metrics", ct);
        }
        return scrape;
    }
}
