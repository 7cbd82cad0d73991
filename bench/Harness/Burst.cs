using System.Diagnostics;

namespace Purchases.Bench;

/// <summary>
/// <c>--n</c> POSTs of one body to one target, all at once (each on its own connection), in <c>--waves</c> waves one
/// after another: what many supply points' year-long schedules arriving together do to the service. Prints one JSON
/// line: the statuses, the latencies, and the VmHWM of <c>--pid</c> (the service) before and after.
/// </summary>
public static class Burst
{
    public static async Task<int> RunAsync(Args args)
    {
        var n = args.Int("n", 16);
        var waves = args.Int("waves", 1);
        var expect = args.Int("expect", 201);
        var body = await File.ReadAllBytesAsync(args.Required("body"));
        var (url, token) = (args.Required("url"), args.Get("token", ""));
        var pid = args.Int("pid", 0);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n })
        {
            Timeout = TimeSpan.FromSeconds(args.Double("timeout", 300)),
        };

        var hwmBefore = PeakRssKb(pid);
        var statuses = new List<int>();
        var latencies = new List<double>();
        var wall = Stopwatch.StartNew();
        for (var wave = 0; wave < waves; wave++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => PostAsync(http, url, token, body)));
            statuses.AddRange(results.Select(r => r.Status));
            latencies.AddRange(results.Select(r => r.Ms));
        }
        var seconds = wall.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        var byStatus = string.Join(',', statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"\"{g.Key}\":{g.Count()}"));
        Console.WriteLine(
            $"{{\"kind\":\"burst\",\"scenario\":\"{args.Get("label", "burst")}\",\"target\":\"svc\",\"n\":{statuses.Count}," +
            $"\"concurrency\":{n},\"waves\":{waves},\"ok\":{statuses.Count(s => s == expect)},\"statuses\":{{{byStatus}}}," +
            $"\"seconds\":{Stats.F(seconds)},\"median_ms\":{Stats.F(Stats.Median(sorted))},\"max_ms\":{Stats.F(sorted.Count > 0 ? sorted[^1] : double.NaN)}," +
            $"\"vmhwm_before_kb\":{hwmBefore},\"vmhwm_kb\":{PeakRssKb(pid)}}}");
        return statuses.All(s => s == expect) ? 0 : 1;
    }

    static async Task<(int Status, double Ms)> PostAsync(HttpClient http, string url, string token, byte[] body)
    {
        using var request = JsonPost.To(url, token, body);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    static long PeakRssKb(int pid)
    {
        if (pid <= 0) return -1;
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }
}
