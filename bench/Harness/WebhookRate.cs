using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Purchases.Bench;

/// <summary>
/// The webhook delivery rate: N completed purchases (retailer <c>--tag</c>) and one <c>webhook.delivery</c> entry each
/// for the endpoint <c>--endpoint</c>, pending and due now, with the payload a <c>purchase.completed</c> event carries
/// (src/Infrastructure/Webhooks/WebhookEvents.cs), inserted with SQL in ONE transaction, then
/// <c>NOTIFY purchases_outbox</c> (as outbox-fill). Polled every 100 ms until all N are <c>submitted</c>; the rate is
/// N over commit → the last entry's <c>submitted_at</c>, the lag each entry's <c>submitted_at − created_at</c>.
/// </summary>
public static class WebhookRate
{
    public static async Task<int> RunAsync(Args args)
    {
        var n = args.Int("n", 10_000);
        var endpoint = Guid.Parse(args.Required("endpoint"));
        var tag = args.Get("tag", "webhook-bench");
        var timeout = TimeSpan.FromSeconds(args.Double("timeout", 300));
        await using var dataSource = NpgsqlDataSource.Create(args.Required("conn"));

        double committedAt, createdAt;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var command = new NpgsqlCommand("""
                    WITH p AS (
                        INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
                        SELECT gen_random_uuid(), 'bench-user', $1, 'completed', 0, now(), now(), current_date, current_date FROM generate_series(1, $2)
                        RETURNING id, "user", retailer_id, status, created_at, updated_at),
                    e AS (
                        INSERT INTO outbox_entries (id, purchase_id, kind, payload, webhook_endpoint_id, next_attempt_at, created_at, updated_at)
                        SELECT gen_random_uuid(), p.id, 'webhook.delivery',
                               jsonb_build_object('type', 'purchase.completed',
                                   'timestamp', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                   'data', jsonb_build_object(
                                       'purchase_id', p.id, 'user', p."user", 'retailer_id', p.retailer_id, 'status', p.status,
                                       'previous_status', 'in_progress', 'error', NULL::text,
                                       'created_at', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                       'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                       'url', '/api/v0/user/' || p."user" || '/purchase/' || p.id || '/get')),
                               $3, now(), now(), now()
                        FROM p
                        RETURNING 1)
                    SELECT (SELECT count(*) FROM e), extract(epoch FROM now())::float8 * 1000
                    """, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter { Value = tag });
                command.Parameters.Add(new NpgsqlParameter { Value = n });
                command.Parameters.Add(new NpgsqlParameter { Value = endpoint });
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    await reader.ReadAsync();
                    if (reader.GetInt64(0) != n) throw new InvalidOperationException($"inserted {reader.GetInt64(0)} deliveries, not {n}");
                    createdAt = reader.GetDouble(1);
                }
                await transaction.CommitAsync();
                committedAt = Clock.UnixMs();
            }
            await using var notify = new NpgsqlCommand("NOTIFY purchases_outbox", connection);
            await notify.ExecuteNonQueryAsync();
        }

        const string Batch = """
            FROM outbox_entries e JOIN purchases p ON p.id = e.purchase_id
            WHERE p.retailer_id = $1 AND e.webhook_endpoint_id = $2 AND e.kind = 'webhook.delivery'
            """;
        var clock = Stopwatch.StartNew();
        long submitted = 0, failed = 0;
        double? allSeenAfter = null;
        while (clock.Elapsed < timeout)
        {
            await using var count = dataSource.CreateCommand(
                $"SELECT count(*) FILTER (WHERE e.state = 'submitted'), count(*) FILTER (WHERE e.state = 'failed') {Batch}");
            count.Parameters.Add(new NpgsqlParameter { Value = tag });
            count.Parameters.Add(new NpgsqlParameter { Value = endpoint });
            await using (var reader = await count.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                (submitted, failed) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            if (submitted + failed >= n)
            {
                allSeenAfter = (Clock.UnixMs() - committedAt) / 1000;
                break;
            }
            await Task.Delay(100);
        }

        // From the service's submitted_at (same machine, same clock): first/last delivered after the commit, lag per entry.
        double first, last, p50, p99, max;
        long retries;
        await using (var stats = dataSource.CreateCommand($"""
            SELECT extract(epoch FROM min(e.submitted_at))::float8 * 1000, extract(epoch FROM max(e.submitted_at))::float8 * 1000,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY e.submitted_at - e.created_at),
                   percentile_disc(0.99) WITHIN GROUP (ORDER BY e.submitted_at - e.created_at),
                   max(e.submitted_at - e.created_at), (SELECT coalesce(sum(e.attempts), 0)::bigint {Batch})
            {Batch} AND e.state = 'submitted'
            """))
        {
            stats.Parameters.Add(new NpgsqlParameter { Value = tag });
            stats.Parameters.Add(new NpgsqlParameter { Value = endpoint });
            await using var reader = await stats.ExecuteReaderAsync();
            await reader.ReadAsync();
            double D(int i) => reader.IsDBNull(i) ? double.NaN : reader.GetDouble(i);
            double Ms(int i) => reader.IsDBNull(i) ? double.NaN : reader.GetFieldValue<TimeSpan>(i).TotalMilliseconds;
            (first, last, p50, p99, max) = (D(0), D(1), Ms(2), Ms(3), Ms(4));
            retries = reader.GetInt64(5);
        }
        var seconds = submitted == n ? (last - committedAt) / 1000 : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"kind\":\"webhooks\",\"scenario\":\"webhooks\",\"target\":\"svc\",\"n\":{n},\"submitted\":{submitted},\"failed\":{failed}," +
            $"\"seconds\":{Stats.F(seconds, 3)},\"deliveries_per_s\":{Stats.F(n / seconds, 1)},\"all_seen_after_s\":{Stats.F(allSeenAfter ?? double.NaN, 3)}," +
            $"\"insert_commit_ms\":{Stats.F(committedAt - createdAt, 1)},\"first_submitted_ms\":{Stats.F(first - committedAt, 1)}," +
            $"\"last_submitted_ms\":{Stats.F(last - committedAt, 1)},\"lag_p50_ms\":{Stats.F(p50, 1)},\"lag_p99_ms\":{Stats.F(p99, 1)}," +
            $"\"lag_max_ms\":{Stats.F(max, 1)},\"failed_attempts\":{retries}}}"));
        return submitted == n ? 0 : 1;
    }
}
