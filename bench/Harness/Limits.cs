using System.Buffers;
using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Purchases.Bench;

/// <summary>
/// The limits: what the database must do, and nothing else, on the service's own schema and database.
/// <list type="bullet">
/// <item><c>POST /limit/submit?rows=96|35040&amp;user=U&amp;retailer=R</c>: reads the request body to its end (any
/// server must receive it) without parsing it, then ONE transaction exactly like the service's: a batch with the
/// purchase row and the outbox row, a binary COPY of the pre-built rows (the same local times, instants and MW as the
/// body), commit. The outbox entry is due in 9999 so that the service's drain leaves it alone (it still lands in the
/// same indexes). No authentication, no JSON parsing, no validation. With <c>&amp;drain=1</c> (when started with
/// <c>--argo</c>) the entry is due for <see cref="LimitDrain"/> instead, nudged after the commit.</item>
/// <item><c>GET /limit/purchase/{id}?user=U</c>: ONE SELECT (purchase LEFT JOIN its outbox entry) and the same JSON
/// fields as get-purchase, written with Utf8JsonWriter. No authentication.</item>
/// </list>
/// </summary>
public static class Limits
{
    sealed record Prebuilt(LocalDateTime[] Local, Instant[] Instants, decimal[] Mw);

    static readonly Instant NeverDue = Instant.FromUtc(9999, 1, 1, 0, 0);

    public static async Task<int> RunAsync(Args args)
    {
        var port = args.Int("port", 0);
        var connectionString = args.Required("conn");
        var sets = new Dictionary<int, Prebuilt>();
        foreach (var rows in new[] { Schedules.Day(), Schedules.Year() })
            sets[rows.Length] = new Prebuilt([.. rows.Select(r => r.Local)], [.. rows.Select(r => r.Instant)], [.. rows.Select(r => r.Mw)]);

        await using var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "limits" }.UseNodaTime().Build();
        using var argo = args.Get("argo") is { } argoUrl ? new HttpClient { BaseAddress = new Uri(argoUrl) } : null;
        var drain = argo is null ? null : new LimitDrain(dataSource, argo);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64L * 1024 * 1024);
        var app = builder.Build();

        app.MapGet("/limit/health", () => "ok");

        app.MapPost("/limit/submit", async (HttpContext ctx) =>
        {
            var ct = ctx.RequestAborted;
            await DrainBodyAsync(ctx.Request, ct);
            var count = int.TryParse(ctx.Request.Query["rows"], out var n) ? n : 96;
            if (!sets.TryGetValue(count, out var set))
            {
                ctx.Response.StatusCode = 400;
                return;
            }
            var user = ctx.Request.Query["user"].ToString() is { Length: > 0 } u ? u : "bench-user";
            var retailer = ctx.Request.Query["retailer"].ToString() is { Length: > 0 } r ? r : "bench-limit";
            var id = Guid.CreateVersion7();
            var now = SystemClock.Instance.GetCurrentInstant();
            var drained = drain is not null && ctx.Request.Query["drain"] == "1";

            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await using (var batch = new NpgsqlBatch(connection, transaction))
                {
                    var insert = new NpgsqlBatchCommand("""
                        INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at,
                                               delivery_from, delivery_to)
                        VALUES ($1, $2, $3, 'pending', $4, $5, $5, $6, $7)
                        """);
                    insert.Parameters.Add(new NpgsqlParameter { Value = id });
                    insert.Parameters.Add(new NpgsqlParameter { Value = user });
                    insert.Parameters.Add(new NpgsqlParameter { Value = retailer });
                    insert.Parameters.Add(new NpgsqlParameter { Value = set.Mw.Length });
                    insert.Parameters.Add(new NpgsqlParameter { Value = now });
                    insert.Parameters.Add(new NpgsqlParameter { Value = set.Local[0].Date });
                    insert.Parameters.Add(new NpgsqlParameter { Value = set.Local[^1].Date });
                    batch.BatchCommands.Add(insert);
                    var outbox = new NpgsqlBatchCommand("""
                        INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $6)
                        """);
                    outbox.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    outbox.Parameters.Add(new NpgsqlParameter { Value = id });
                    outbox.Parameters.Add(new NpgsqlParameter
                    {
                        Value = $$"""{"user":"{{user}}","retailer_id":"{{retailer}}"}""", NpgsqlDbType = NpgsqlDbType.Jsonb,
                    });
                    outbox.Parameters.Add(new NpgsqlParameter { Value = $"limit-{id:D}" });
                    outbox.Parameters.Add(new NpgsqlParameter { Value = drained ? LimitDrain.Due : NeverDue });
                    outbox.Parameters.Add(new NpgsqlParameter { Value = now });
                    batch.BatchCommands.Add(outbox);
                    await batch.ExecuteNonQueryAsync(ct);
                }

                await using (var copy = await connection.BeginBinaryImportAsync(
                                 "COPY purchase_rows (purchase_id, position, local_time, instant, mw) FROM STDIN (FORMAT BINARY)", ct))
                {
                    for (var i = 0; i < set.Mw.Length; i++)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(set.Local[i], NpgsqlDbType.Timestamp, ct);
                        await copy.WriteAsync(set.Instants[i], NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(set.Mw[i], NpgsqlDbType.Numeric, ct);
                    }
                    await copy.CompleteAsync(ct);
                }
                await transaction.CommitAsync(CancellationToken.None);
            }
            if (drained) drain!.Nudge();

            ctx.Response.StatusCode = 201;
            ctx.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(ctx.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("status", "pending");
            json.WriteString("created_at", now.ToDateTimeUtc().ToString("yyyy-MM-ddTHH:mm:ssZ"));
            json.WriteNumber("rows_uploaded", set.Mw.Length);
            json.WriteNull("error");
            json.WriteString("message", $"Purchase created successfully with ID: {id} for user: {user} and retailer: {retailer}");
            json.WriteEndObject();
        });

        app.MapGet("/limit/purchase/{id}", async (HttpContext ctx, string id) =>
        {
            var ct = ctx.RequestAborted;
            if (!Guid.TryParseExact(id, "D", out var purchaseId))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            await using var command = dataSource.CreateCommand("""
                SELECT p.id, p.status, p.error, p.created_at, p.strategy_output::text, p.updated_at, p.rows_uploaded,
                       p.retailer_id, e.workflow_name, e.state, e.attempts, e.submitted_at, e.last_error,
                       p.workflow_phase, p.workflow_message, p.workflow_started_at, p.workflow_finished_at
                FROM purchases p LEFT JOIN outbox_entries e ON e.purchase_id = p.id AND e.kind = 'argo.workflow.create'
                WHERE p.id = $1 AND p."user" = $2
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = purchaseId });
            command.Parameters.Add(new NpgsqlParameter { Value = ctx.Request.Query["user"].ToString() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                ctx.Response.StatusCode = 404;
                return;
            }
            ctx.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(ctx.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteString("id", reader.GetGuid(0));
            json.WriteString("status", reader.GetString(1));
            if (reader.IsDBNull(2)) json.WriteNull("error"); else json.WriteString("error", reader.GetString(2));
            json.WriteString("created_at", Rfc3339(reader.GetFieldValue<Instant>(3)));
            json.WritePropertyName("strategy_output");
            if (reader.IsDBNull(4)) json.WriteNullValue(); else json.WriteRawValue(reader.GetString(4), skipInputValidation: true);
            json.WriteString("updated_at", Rfc3339(reader.GetFieldValue<Instant>(5)));
            json.WriteNumber("rows_uploaded", reader.GetInt32(6));
            json.WriteString("retailer_id", reader.GetString(7));
            if (reader.IsDBNull(8)) json.WriteNull("workflow");
            else
            {
                json.WriteStartObject("workflow");
                json.WriteString("name", reader.GetString(8));
                json.WriteString("state", reader.GetString(9));
                json.WriteNumber("attempts", reader.GetInt32(10));
                if (reader.IsDBNull(11)) json.WriteNull("submitted_at");
                else json.WriteString("submitted_at", Rfc3339(reader.GetFieldValue<Instant>(11)));
                if (reader.IsDBNull(12)) json.WriteNull("last_error"); else json.WriteString("last_error", reader.GetString(12));
                if (reader.IsDBNull(13)) json.WriteNull("phase"); else json.WriteString("phase", reader.GetString(13));
                if (reader.IsDBNull(14)) json.WriteNull("message"); else json.WriteString("message", reader.GetString(14));
                if (reader.IsDBNull(15)) json.WriteNull("started_at");
                else json.WriteString("started_at", Rfc3339(reader.GetFieldValue<Instant>(15)));
                if (reader.IsDBNull(16)) json.WriteNull("finished_at");
                else json.WriteString("finished_at", Rfc3339(reader.GetFieldValue<Instant>(16)));
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });

        var draining = drain?.RunAsync(app.Lifetime.ApplicationStopping);
        await app.RunAsync();
        if (draining is not null) await draining.ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    static string Rfc3339(Instant instant) => instant.ToDateTimeUtc().ToString("yyyy-MM-ddTHH:mm:ssZ");

    static async Task DrainBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted) return;
        }
    }
}
