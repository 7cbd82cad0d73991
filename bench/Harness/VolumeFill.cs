using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Purchases.Bench;

/// <summary>
/// Fills a migrated, empty database to a large retailer's year: <c>--purchases</c> completed purchases spread over the
/// last <c>--months</c> months (their ids UUIDv7 at their creation, as the service makes them, so the rows fall into
/// the monthly partitions, which are created here for the past months), <c>--rows-per</c> schedule rows each, written
/// by binary COPY on <c>--workers</c> connections at once; then VACUUM (ANALYZE), so that autovacuum does not run during
/// the measurements, and a CHECKPOINT; and failed Argo entries for <c>--failed-share</c> of them. <c>--share</c> of the purchases belong to <c>--user</c> (the benchmark's customer), the rest to
/// 1,000 others. Prints one JSON line: counts, seconds for the fill and the vacuum, and the sizes on disk.
/// </summary>
public static class VolumeFill
{
    public static async Task<int> RunAsync(Args args)
    {
        var purchases = args.Int("purchases", 1_000_000);
        var rowsPer = args.Int("rows-per", 100);
        var months = args.Int("months", 12);
        var workers = args.Int("workers", 2);
        var user = args.Get("user", "bench-user");
        var share = args.Double("share", 0.01);
        await using var dataSource = new NpgsqlDataSourceBuilder(args.Required("conn")).UseNodaTime().Build();

        var now = SystemClock.Instance.GetCurrentInstant();
        var first = now.InUtc().Date.With(DateAdjusters.StartOfMonth).PlusMonths(-months);
        var start = first.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var span = now - Duration.FromHours(1) - start;
        await CreatePastMonthsAsync(dataSource, first, months);

        var clock = Stopwatch.StartNew();
        var chunk = (purchases + workers - 1) / workers;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() =>
            FillAsync(dataSource, w * chunk, Math.Min(purchases, (w + 1) * chunk), purchases, rowsPer, start, span, user, share))));
        // Failed Argo entries for a share of them: what an operator's outbox list pages through.
        await using (var failed = dataSource.CreateCommand("""
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, attempts, last_error, last_status,
                                        next_attempt_at, created_at, updated_at, failed_at)
            SELECT gen_random_uuid(), id, jsonb_build_object('user', "user", 'retailer_id', retailer_id), 'purchase-' || id,
                   'failed', 10, 'HTTP 500: upstream error', 500, created_at, created_at, created_at, created_at
            FROM purchases TABLESAMPLE BERNOULLI ($1::real)
            """))
        {
            failed.CommandTimeout = 3600;
            failed.Parameters.Add(new NpgsqlParameter { Value = args.Double("failed-share", 0.01) * 100 });
            await failed.ExecuteNonQueryAsync();
        }
        var fillSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        await using (var vacuum = dataSource.CreateCommand("VACUUM (ANALYZE) purchases, purchase_rows"))
        {
            vacuum.CommandTimeout = 3600;
            await vacuum.ExecuteNonQueryAsync();
        }
        var vacuumSeconds = clock.Elapsed.TotalSeconds;

        // A bulk load can leave gigabytes of dirty pages for the next checkpoints to write while the scenarios run; a
        // database a year old has no such backlog, so whatever is left is written out here, before anything is measured.
        clock.Restart();
        await using (var checkpoint = dataSource.CreateCommand("CHECKPOINT"))
        {
            checkpoint.CommandTimeout = 3600;
            await checkpoint.ExecuteNonQueryAsync();
        }
        var checkpointSeconds = clock.Elapsed.TotalSeconds;

        await using var sizes = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM purchase_rows),
                   pg_database_size(current_database()),
                   (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'purchase_rows'::regclass),
                   pg_total_relation_size('purchases'),
                   (SELECT count(*) FROM pg_inherits WHERE inhparent = 'purchase_rows'::regclass)
            """);
        sizes.CommandTimeout = 600;
        await using var reader = await sizes.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"kind\":\"volume\",\"purchases\":{reader.GetInt64(0)},\"rows\":{reader.GetInt64(1)},\"months\":{months},\"workers\":{workers},") +
            FormattableString.Invariant(
            $"\"fill_seconds\":{fillSeconds:0.0},\"rows_per_s\":{reader.GetInt64(1) / fillSeconds:0},\"vacuum_seconds\":{vacuumSeconds:0.0},\"checkpoint_seconds\":{checkpointSeconds:0.0},") +
            FormattableString.Invariant(
            $"\"database_bytes\":{reader.GetInt64(2)},\"rows_bytes\":{reader.GetDecimal(3)},\"purchases_bytes\":{reader.GetInt64(4)},\"partitions\":{reader.GetInt64(5)}}}"));
        return 0;
    }

    /// <summary>The months before the current one, as the service's RowPartitions names and bounds them.</summary>
    static async Task CreatePastMonthsAsync(NpgsqlDataSource dataSource, LocalDate first, int months)
    {
        for (var month = first; month < first.PlusMonths(months); month = month.PlusMonths(1))
        {
            await using var command = dataSource.CreateCommand(
                $"CREATE TABLE IF NOT EXISTS purchase_rows_y{month.Year:D4}m{month.Month:D2} PARTITION OF purchase_rows " +
                $"FOR VALUES FROM ('{FirstIdOf(month)}') TO ('{FirstIdOf(month.PlusMonths(1))}')");
            await command.ExecuteNonQueryAsync();
        }
    }

    static Guid FirstIdOf(LocalDate month) => Guid.ParseExact(
        month.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture) +
        new string('0', 20), "N");

    /// <summary>Purchases [from, to) of the whole set, in creation order, their rows right after them.</summary>
    static async Task FillAsync(NpgsqlDataSource dataSource, int from, int to, int total, int rowsPer, Instant start, Duration span,
        string user, double share)
    {
        var random = new Random(from);
        var ids = new Guid[to - from];
        var created = new Instant[to - from];
        for (var i = from; i < to; i++)
        {
            created[i - from] = start + span * ((double)i / total);
            ids[i - from] = Guid.CreateVersion7(created[i - from].ToDateTimeOffset());
        }

        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY purchases (id, \"user\", retailer_id, status, error, rows_uploaded, created_at, updated_at, delivery_from, delivery_to) FROM STDIN (FORMAT BINARY)"))
        {
            copy.Timeout = TimeSpan.FromHours(1);
            for (var i = 0; i < ids.Length; i++)
            {
                var day = created[i].InUtc().Date.PlusDays(1);
                await copy.StartRowAsync();
                await copy.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync(random.NextDouble() < share ? user : $"volume-{random.Next(1000):D4}", NpgsqlDbType.Text);
                await copy.WriteAsync($"{random.Next(100_000)}", NpgsqlDbType.Text);
                await copy.WriteAsync("completed", NpgsqlDbType.Text);
                await copy.WriteAsync("", NpgsqlDbType.Text);
                await copy.WriteAsync(rowsPer, NpgsqlDbType.Integer);
                await copy.WriteAsync(created[i], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(created[i] + Duration.FromMinutes(5), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(day, NpgsqlDbType.Date);
                await copy.WriteAsync(day, NpgsqlDbType.Date);
            }
            await copy.CompleteAsync();
        }

        // Synchronous writes: 100 million rows, where an await per field would cost more than the COPY itself.
        using (var connection = dataSource.OpenConnection())
        using (var copy = connection.BeginBinaryImport(
                   "COPY purchase_rows (purchase_id, position, local_time, instant, mw) FROM STDIN (FORMAT BINARY)"))
        {
            copy.Timeout = TimeSpan.FromHours(1);
            for (var i = 0; i < ids.Length; i++)
            {
                var local = created[i].InUtc().Date.PlusDays(1).AtMidnight();
                var instant = local.InZoneLeniently(Schedules.Zone).ToInstant();
                for (var position = 0; position < rowsPer; position++)
                {
                    copy.StartRow();
                    copy.Write(ids[i], NpgsqlDbType.Uuid);
                    copy.Write(position, NpgsqlDbType.Integer);
                    copy.Write(local.PlusMinutes(15 * position), NpgsqlDbType.Timestamp);
                    copy.Write(instant + Duration.FromMinutes(15 * position), NpgsqlDbType.TimestampTz);
                    copy.Write(Math.Round((decimal)random.NextDouble() * 50, 3), NpgsqlDbType.Numeric);
                }
            }
            copy.Complete();
        }
    }
}
