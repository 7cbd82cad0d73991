using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Purchases.Bench;

/// <summary>
/// Open-loop submits at a steady rate (request i is sent at start + i/rate whatever the earlier ones do), then the
/// commit→Argo latency of each purchase: the fake Argo's receive time minus the moment its 201 arrived here (a
/// slight under-estimate: the commit happened a little earlier), and, for comparison, minus its outbox entry's
/// created_at (set just before the transaction: a slight over-estimate). Same machine, same wall clock.
/// </summary>
public static class Paced
{
    public static async Task<int> RunAsync(Args args)
    {
        var url = args.Required("url");
        var token = args.Required("token");
        var body = await File.ReadAllBytesAsync(args.Required("body"));
        var rate = args.Double("rate", 200);
        var seconds = args.Double("seconds", 20);
        var fake = args.Required("fake");
        var connectionString = args.Required("conn");
        var waitSeconds = args.Double("wait", 60);
        var maxInFlight = args.Int("max-in-flight", 256);
        var total = (int)Math.Round(rate * seconds);
        var warmup = (int)Math.Round(rate * args.Double("warmup", 0));
        var pause = TimeSpan.FromSeconds(args.Double("pause", 0));

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        }) { Timeout = TimeSpan.FromSeconds(30) };
        var arrivals = new ConcurrentDictionary<Guid, double>();
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var lastError = "";
        var late = 0;
        var inFlight = new SemaphoreSlim(maxInFlight);
        var tasks = new List<Task>(total);

        // The same sends, unmeasured, from this process: its own JIT, thread pool and connections warm up here, not
        // in the first second of the measured load (then, with --pause, the service idles before it).
        if (warmup > 0)
        {
            await SendPacedAsync(warmup, measured: false);
            await Task.WhenAll(tasks);
            tasks.Clear();
            await Task.Delay(pause);
        }
        var clock = Stopwatch.StartNew();
        late = await SendPacedAsync(total, measured: true);
        await Task.WhenAll(tasks);
        var sendSeconds = clock.Elapsed.TotalSeconds;

        async Task<int> SendPacedAsync(int count, bool measured)
        {
            var (started, lateSends) = (Stopwatch.StartNew(), 0);
            for (var i = 0; i < count; i++)
            {
                var wait = TimeSpan.FromSeconds(i / rate) - started.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                else if (wait < TimeSpan.FromMilliseconds(-50)) lateSends++;
                await inFlight.WaitAsync();
                tasks.Add(SendOne(measured));
            }
            return lateSends;
        }

        async Task SendOne(bool measured)
        {
            try
            {
                using var request = JsonPost.To(url, token, body);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var at = Clock.UnixMs();
                if (measured) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if ((int)response.StatusCode != 201)
                {
                    Interlocked.Increment(ref errors);
                    lastError = $"{(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}";
                    return;
                }
                using var doc = JsonDocument.Parse(text);
                if (measured) arrivals[doc.RootElement.GetProperty("id").GetGuid()] = at;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref errors);
                lastError = e.Message;
            }
            finally
            {
                inFlight.Release();
            }
        }

        // Wait (bounded) until the fake Argo has every purchase we created.
        Dictionary<string, double> received = [];
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed.TotalSeconds < waitSeconds)
        {
            received = await FakeArgo.ReceivedAsync(http, fake);
            if (arrivals.Keys.All(id => received.ContainsKey(id.ToString("D")))) break;
            await Task.Delay(200);
        }

        var createdAt = new Dictionary<Guid, double>();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var command = dataSource.CreateCommand(
                         "SELECT purchase_id, extract(epoch from created_at) * 1000 FROM outbox_entries WHERE purchase_id = ANY($1) AND kind = 'argo.workflow.create'"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arrivals.Keys.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) createdAt[reader.GetGuid(0)] = (double)reader.GetDecimal(1);
        }

        var from201 = new List<double>();
        var fromCreated = new List<double>();
        var missing = 0;
        foreach (var (id, at) in arrivals)
        {
            if (!received.TryGetValue(id.ToString("D"), out var argoAt)) { missing++; continue; }
            from201.Add(argoAt - at);
            if (createdAt.TryGetValue(id, out var created)) fromCreated.Add(argoAt - created);
        }
        if (args.Get("timeline", "") is { Length: > 0 } timeline)
            await WriteTimelineAsync(timeline, arrivals, received, createdAt);
        from201.Sort();
        fromCreated.Sort();
        var submit = latencies.Order().ToList();
        Console.WriteLine(
            $"{{\"kind\":\"pace\",\"scenario\":\"{args.Get("label", "outbox-pace")}\",\"target\":\"svc\",\"rate\":{Stats.F(rate, 1)}," +
            $"\"warmup_sends\":{warmup},\"pause_s\":{Stats.F(pause.TotalSeconds, 1)}," +
            $"\"planned\":{total},\"created\":{arrivals.Count},\"errors\":{errors},\"late_sends\":{late}," +
            $"\"achieved_rate\":{Stats.F(total / sendSeconds, 1)},\"missing_at_argo\":{missing}," +
            $"\"submit_p50_ms\":{Stats.F(Stats.Percentile(submit, 50))},\"submit_p99_ms\":{Stats.F(Stats.Percentile(submit, 99))}," +
            $"\"lag201_p50_ms\":{Stats.F(Stats.Percentile(from201, 50))},\"lag201_p99_ms\":{Stats.F(Stats.Percentile(from201, 99))}," +
            $"\"lag201_max_ms\":{Stats.F(from201.Count > 0 ? from201[^1] : double.NaN)}," +
            $"\"lag201_min_ms\":{Stats.F(from201.Count > 0 ? from201[0] : double.NaN)}," +
            $"\"lagcreated_p50_ms\":{Stats.F(Stats.Percentile(fromCreated, 50))},\"lagcreated_p99_ms\":{Stats.F(Stats.Percentile(fromCreated, 99))}," +
            $"\"last_error\":{JsonSerializer.Serialize(lastError)}}}");
        return errors == 0 && missing == 0 && arrivals.Count == total ? 0 : 1;
    }

    /// <summary>One line per purchase in the order of its 201, so a tail can be told apart from a stall.</summary>
    static async Task WriteTimelineAsync(string path, IReadOnlyDictionary<Guid, double> arrivals, Dictionary<string, double> received,
        Dictionary<Guid, double> createdAt)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("purchase_id\tcreated_at_ms\tresponse_at_ms\targo_at_ms\tlag_from_response_ms");
        foreach (var (id, at) in arrivals.OrderBy(a => a.Value))
        {
            var argoAt = received.TryGetValue(id.ToString("D"), out var argo) ? argo : double.NaN;
            var created = createdAt.TryGetValue(id, out var c) ? c : double.NaN;
            await writer.WriteLineAsync($"{id:D}\t{Stats.F(created)}\t{Stats.F(at)}\t{Stats.F(argoAt)}\t{Stats.F(argoAt - at)}");
        }
    }
}
