using System.Diagnostics;
using System.Text;

namespace Purchases.Bench;

/// <summary>
/// Sequential POSTs of one body to several targets, interleaved request by request (target A, B, C, A, B, C, …) so
/// that machine noise falls on all of them alike. Latency: from sending to the whole response read. Prints one JSON
/// line per target. <c>--target name|url|token</c> (token may be empty), <c>--n</c>, <c>--warmup</c>, <c>--body</c>,
/// <c>--expect</c> (status, 201).
/// </summary>
public static class Sequential
{
    public static async Task<int> RunAsync(Args args)
    {
        var n = args.Int("n", 20);
        var warmup = args.Int("warmup", 1);
        var expect = args.Int("expect", 201);
        var body = await File.ReadAllBytesAsync(args.Required("body"));
        var label = args.Get("label", "seq");
        var timeout = TimeSpan.FromSeconds(args.Double("timeout", 120));
        var targets = args.All("target").Select(t => t.Split('|')).Select(p => (Name: p[0], Url: p[1], Token: p.Length > 2 ? p[2] : "")).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = timeout };
        var samples = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var errors = targets.ToDictionary(t => t.Name, _ => 0);
        var lastError = targets.ToDictionary(t => t.Name, _ => "");
        var deadline = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(args.Double("budget", 900));

        for (var i = 0; i < warmup + n && deadline.Elapsed < budget; i++)
        {
            foreach (var t in targets)
            {
                using var request = JsonPost.To(t.Url, t.Token, body);
                var started = Stopwatch.GetTimestamp();
                int status;
                string text;
                try
                {
                    using var response = await http.SendAsync(request);
                    text = await response.Content.ReadAsStringAsync();
                    status = (int)response.StatusCode;
                }
                catch (Exception e)
                {
                    status = 0;
                    text = e.Message;
                }
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (status != expect)
                {
                    errors[t.Name]++;
                    lastError[t.Name] = $"{status} {text[..Math.Min(text.Length, 200)]}";
                    continue;
                }
                if (i >= warmup) samples[t.Name].Add(ms);
            }
        }

        foreach (var t in targets)
        {
            var s = samples[t.Name].Order().ToList();
            var line = new StringBuilder();
            line.Append($"{{\"kind\":\"seq\",\"scenario\":\"{label}\",\"target\":\"{t.Name}\",\"n\":{s.Count},\"errors\":{errors[t.Name]},")
                .Append($"\"median_ms\":{Stats.F(Stats.Median(s))},\"p95_ms\":{Stats.F(Stats.Percentile(s, 95))},")
                .Append($"\"min_ms\":{Stats.F(s.Count > 0 ? s[0] : double.NaN)},\"max_ms\":{Stats.F(s.Count > 0 ? s[^1] : double.NaN)},")
                .Append($"\"mean_ms\":{Stats.F(s.Count > 0 ? s.Average() : double.NaN)},")
                .Append($"\"samples_ms\":[{string.Join(',', samples[t.Name].Select(v => Stats.F(v, 1)))}],")
                .Append($"\"last_error\":{System.Text.Json.JsonSerializer.Serialize(lastError[t.Name])}}}");
            Console.WriteLine(line);
        }
        return errors.Values.Any(e => e > 0) ? 1 : 0;
    }
}
