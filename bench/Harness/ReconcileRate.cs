using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Purchases.Bench;

/// <summary>
/// The reconciler's rate: N purchases whose workflows Argo accepted (purchases and <c>submitted</c> entries inserted
/// with SQL in one transaction, their first reads due as the drain makes them, their workflows seeded at the fake Argo), every workflow then answering
/// <c>Failed</c>. Timed from the first purchase the reconciler failed to the last (their <c>updated_at</c>, written by
/// the reconciler), so the job's schedule does not count; the fake Argo's counters give the calls per purchase.
/// The tables are analyzed after the insert. With <c>--running-first</c> every workflow first answers
/// <c>Running</c> and the clock starts once the reconciler has recorded that for all (the latency of a failure in a
/// running workflow, watch or not: <c>--scenario</c> names the line). With <c>--prepare-only</c> it only inserts and seeds (for the cost runs, which set the phase themselves).
/// </summary>
public static class ReconcileRate
{
    public static async Task<int> RunAsync(Args args)
    {
        var n = args.Int("n", 10_000);
        var fake = args.Required("fake").TrimEnd('/');
        var tag = args.Required("tag");
        var timeout = TimeSpan.FromSeconds(args.Double("timeout", 300));
        await using var dataSource = NpgsqlDataSource.Create(args.Required("conn"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        var ids = new List<Guid>(n);
        await using (var command = dataSource.CreateCommand("""
            WITH p AS (
                INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to,
                                       workflow_next_check_at)
                SELECT gen_random_uuid(), 'bench-user', $1, 'pending', 0, now(), now(), current_date, current_date, now()
                FROM generate_series(1, $2)
                RETURNING id)
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, submitted_at, next_attempt_at,
                                        created_at, updated_at)
            SELECT gen_random_uuid(), id, jsonb_build_object('user', 'bench-user', 'retailer_id', $1::text),
                   'purchase-' || id, 'submitted', now(), now(), now(), now()
            FROM p
            RETURNING purchase_id
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tag });
            command.Parameters.Add(new NpgsqlParameter { Value = n });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        }
        // Statistics as autovacuum would have them a minute later: on tables never analyzed (scenario 6 run alone on a
        // fresh database) the claim drives from every submitted entry: 42 ms a claim instead of 2 with 10,000 waiting (bench/FINDINGS.md).
        await using (var analyze = dataSource.CreateCommand("ANALYZE purchases, outbox_entries"))
            await analyze.ExecuteNonQueryAsync();
        var seed = await http.PostAsync($"{fake}/_bench/seed",
            new StringContent(string.Join('\n', ids.Select(i => i.ToString("D"))), Encoding.UTF8, "text/plain"));
        seed.EnsureSuccessStatusCode();
        if (args.Get("prepare-only") is not null)
        {
            Console.WriteLine($"{{\"prepared\":{ids.Count}}}");
            return 0;
        }

        if (args.Get("running-first") is not null)
        {
            (await http.PostAsync($"{fake}/_bench/phase?phase=Running", null)).EnsureSuccessStatusCode();
            var waited = Stopwatch.StartNew();
            while (await CountAsync(dataSource, tag, "status = 'pending' AND workflow_phase = 'Running'") < n)
            {
                if (waited.Elapsed > timeout) return Fail("not every workflow was recorded Running");
                await Task.Delay(100);
            }
        }
        (await http.PostAsync($"{fake}/_bench/reset-counts", null)).EnsureSuccessStatusCode();
        (await http.PostAsync($"{fake}/_bench/phase?phase=Failed&message=bench", null)).EnsureSuccessStatusCode();
        var clock = Stopwatch.StartNew();
        long failed = 0;
        while (clock.Elapsed < timeout)
        {
            failed = await CountAsync(dataSource, tag, "status = 'failed'");
            if (failed >= n) break;
            await Task.Delay(100);
        }
        var allAfter = clock.Elapsed.TotalSeconds;

        double span;
        await using (var range = dataSource.CreateCommand("""
            SELECT extract(epoch FROM max(updated_at) - min(updated_at))::float8 FROM purchases
            WHERE retailer_id = $1 AND status = 'failed'
            """))
        {
            range.Parameters.Add(new NpgsqlParameter { Value = tag });
            span = await range.ExecuteScalarAsync() is double d ? d : double.NaN;
        }
        var counts = JsonDocument.Parse(await http.GetStringAsync($"{fake}/_bench/count")).RootElement;
        var (lists, gets) = (counts.GetProperty("lists").GetInt64(), counts.GetProperty("gets").GetInt64());
        var watchEvents = counts.GetProperty("watch_events").GetInt64();
        var rate = span > 0 ? failed / span : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"kind\":\"reconcile\",\"scenario\":\"{args.Get("scenario") ?? "reconcile"}\",\"target\":\"svc\",\"n\":{n},\"failed\":{failed}," +
            $"\"span_s\":{Stats.F(span, 3)},\"purchases_per_s\":{Stats.F(rate, 1)},\"all_failed_after_s\":{Stats.F(allAfter, 3)}," +
            $"\"lists\":{lists},\"gets\":{gets},\"calls_per_purchase\":{Stats.F((double)(lists + gets) / Math.Max(1, failed), 4)}," +
            $"\"watch_events\":{watchEvents}}}"));
        return failed >= n ? 0 : 1;
    }

    static async Task<long> CountAsync(NpgsqlDataSource dataSource, string tag, string condition)
    {
        // By user and status first (an index has them): a count by retailer_id alone read the whole table, 85 ms every
        // 100 ms after scenario 1, most of PostgreSQL's CPU in the reconciler's run it timed (bench/FINDINGS.md).
        await using var count = dataSource.CreateCommand(
            $"SELECT count(*) FROM purchases WHERE \"user\" = 'bench-user' AND retailer_id = $1 AND {condition}");
        count.Parameters.Add(new NpgsqlParameter { Value = tag });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    static int Fail(string why)
    {
        Console.Error.WriteLine($"reconcile-rate: {why}");
        return 1;
    }
}
