using System.Diagnostics;
using Npgsql;

namespace Purchases.Bench;

/// <summary>
/// The drain rate: N purchases and their outbox entries inserted directly with SQL in ONE transaction (the same
/// columns the service writes, payload and workflow name included; no schedule rows, which the drain never reads; ids
/// are UUIDv7 like the service's, so that the drain's updates land where the service's would in every index),
/// then <c>NOTIFY purchases_outbox</c> (what the CLI's replay does; every service instance listens and nudges its
/// drain). Timed from the commit until no entry is pending (polled every 100 ms; then the N are checked by id), and the
/// fake Argo's first and last arrival of the batch.
/// </summary>
public static class OutboxFill
{
    public static async Task<int> RunAsync(Args args)
    {
        var n = args.Int("n", 10_000);
        var fake = args.Required("fake");
        var timeout = TimeSpan.FromSeconds(args.Double("timeout", 300));
        var batchTag = $"drain-{Guid.NewGuid():N}"[..20];
        await using var dataSource = NpgsqlDataSource.Create(args.Required("conn"));

        var ids = Enumerable.Range(0, n).Select(_ => Guid.CreateVersion7()).ToArray();
        double committedAt;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var command = new NpgsqlCommand("""
                    WITH p AS (
                        INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
                        SELECT id, 'bench-user', $1, 'pending', 0, now(), now(), current_date, current_date FROM unnest($2::uuid[]) AS u(id)
                        RETURNING id)
                    INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at)
                    SELECT e.id, p.id, jsonb_build_object('user', 'bench-user', 'retailer_id', $1::text),
                           'purchase-' || p.id, now(), now(), now()
                    FROM p JOIN unnest($2::uuid[], $3::uuid[]) AS e(purchase_id, id) ON e.purchase_id = p.id
                    """, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter { Value = batchTag });
                command.Parameters.Add(new NpgsqlParameter { Value = ids });
                command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(_ => Guid.CreateVersion7()).ToArray() });
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                committedAt = Clock.UnixMs();
            }
            await using var notify = new NpgsqlCommand("NOTIFY purchases_outbox", connection);
            await notify.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        double? allSubmittedAt = null;
        while (clock.Elapsed < timeout)
        {
            // Whether any entry is due within the hour (the bench waits for an idle outbox first, so they are this
            // batch's; the limits' entries are due in 9999): the first pending entry in the drain's own index order,
            // a plan the planner cannot trade for a scan. Counting the batch by its 10,000 ids took 27–140 ms a poll,
            // and counting the due entries became a 300 ms sequential scan where the statistics said that many were
            // pending: every 100 ms, either loaded the very drain it timed, and unequally on the two databases.
            await using var pending = dataSource.CreateCommand("""
                SELECT coalesce((SELECT next_attempt_at FROM outbox_entries WHERE state = 'pending'
                                 ORDER BY next_attempt_at, id LIMIT 1) < now() + interval '1 hour', false)
                """);
            if (!(bool)(await pending.ExecuteScalarAsync())!)
            {
                allSubmittedAt = Clock.UnixMs();
                break;
            }
            await Task.Delay(100);
        }
        await using var outcome = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE state = 'submitted'), count(*) FILTER (WHERE state = 'failed')
            FROM outbox_entries WHERE purchase_id = ANY($1) AND kind = 'argo.workflow.create'
            """);
        outcome.Parameters.Add(new NpgsqlParameter { Value = ids });
        long submitted, failed;
        await using (var reader = await outcome.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (submitted, failed) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var received = await FakeArgo.ReceivedAsync(http, fake);
        var times = ids.Select(id => received.TryGetValue(id.ToString("D"), out var at) ? at : double.NaN)
            .Where(t => !double.IsNaN(t)).Order().ToList();
        var seconds = allSubmittedAt is { } done ? (done - committedAt) / 1000 : double.NaN;
        var argoSpan = times.Count > 1 ? (times[^1] - times[0]) / 1000 : double.NaN;
        Console.WriteLine(
            $"{{\"kind\":\"drain\",\"scenario\":\"outbox-drain\",\"target\":\"svc\",\"entries\":{n},\"submitted\":{submitted}," +
            $"\"failed\":{failed},\"seconds\":{Stats.F(seconds, 3)},\"entries_per_s\":{Stats.F(n / seconds, 1)}," +
            $"\"first_at_argo_ms\":{Stats.F(times.Count > 0 ? times[0] - committedAt : double.NaN, 1)}," +
            $"\"last_at_argo_ms\":{Stats.F(times.Count > 0 ? times[^1] - committedAt : double.NaN, 1)}," +
            $"\"received_at_argo\":{times.Count},\"argo_rate_per_s\":{Stats.F(times.Count / argoSpan, 1)}}}");
        return submitted == n ? 0 : 1;
    }
}
