using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using Purchases.Infrastructure.Observability;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.SubmitPurchase;

public abstract record StoreOutcome
{
    public sealed record Stored : StoreOutcome;
    /// <summary>The same Idempotency-Key with the same request: the first answer, nothing new stored.</summary>
    public sealed record Repeated(Guid PurchaseId, string Response) : StoreOutcome;
    /// <summary>The same Idempotency-Key with another request.</summary>
    public sealed record KeyReused : StoreOutcome;
    /// <summary>An item of the schedule failed its check (contract checks 6–8): rolled back, nothing stored.</summary>
    public sealed record Refused(string Message) : StoreOutcome;
}

/// <summary>
/// The purchase, its rows (binary COPY), its outbox entry and its Idempotency-Key in one transaction: all or
/// nothing. The key row goes first, so a concurrent repeat of the same key waits on it, then answers the same. The
/// rows are read and checked from the body as they are copied; an item that fails its check rolls everything back.
/// The answer is the one the checks would give before anything is stored: a refused item wins over a reused key or
/// a fault of the database.
/// </summary>
public static class SubmitPurchaseStorage
{
    static readonly Duration KeyLifetime = Duration.FromHours(24);

    public static async Task<StoreOutcome> StoreAsync(NpgsqlDataSource dataSource, Guid id, SubmitPurchaseRequest request,
        Instant now, string response, CancellationToken ct)
    {
        // The outbox keeps the request's traceparent: the Argo create is a child of the submit's server span.
        var traceParent = Activity.Current?.Id;
        // One client span for the transaction, instead of Npgsql's per statement (PurchasesDataSource).
        using var span = PurchasesTelemetry.Source.StartActivity(PurchasesTelemetry.PurchaseStore, ActivityKind.Client);
        span?.SetTag("db.system.name", "postgresql");
        var schedule = request.Schedule!;
        span?.SetTag("purchases.rows", schedule.Count);
        try
        {
            return await StoreOnceOrTwiceAsync(dataSource, id, request, now, response, traceParent, ct);
        }
        catch (Exception e) when (PurchasesTelemetry.Failed(span, e))
        {
            throw;  // never reached: the filter records the fault on the span
        }
        catch (Exception) when (schedule.ReadAll() is { } refused)
        {
            // Nothing was committed (the commit comes after the last item): the body's own fault is the answer.
            return new StoreOutcome.Refused(refused);
        }
    }

    static async Task<StoreOutcome> StoreOnceOrTwiceAsync(NpgsqlDataSource dataSource, Guid id, SubmitPurchaseRequest request,
        Instant now, string response, string? traceParent, CancellationToken ct)
    {
        var schedule = request.Schedule!;
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (request.IdempotencyKey is not null &&
                !await ClaimKeyAsync(connection, transaction, id, request, now, response, ct))
            {
                await transaction.RollbackAsync(ct);
                var earlier = await EarlierUseAsync(dataSource, request, now, ct);
                if (earlier is StoreOutcome.KeyReused && schedule.ReadAll() is { } refused) return new StoreOutcome.Refused(refused);
                if (earlier is not null) return earlier;
                if (attempt == 0) continue;  // the earlier use expired or rolled back meanwhile: one more try
                throw new InvalidOperationException("The Idempotency-Key stayed in use by a request that did not finish.");
            }

            if (await CopyRowsAsync(connection, id, schedule, ct) is { } error)
            {
                await transaction.RollbackAsync(ct);
                return new StoreOutcome.Refused(error);
            }
            // After the rows: the delivery dates are known once every item is read.
            await InsertPurchaseAndOutboxAsync(connection, transaction, id, request, now, traceParent, ct);
            // Once we commit, the client's disconnect must not make the outcome uncertain.
            await transaction.CommitAsync(CancellationToken.None);
            return new StoreOutcome.Stored();
        }
    }

    static async Task<bool> ClaimKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        SubmitPurchaseRequest request, Instant now, string response, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO idempotency_keys ("user", key, request_hash, purchase_id, response, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = request.User });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.IdempotencyKey });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.RequestHash });
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
        insert.Parameters.Add(new NpgsqlParameter { Value = response });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        insert.Parameters.Add(new NpgsqlParameter { Value = now + KeyLifetime });
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The answer for a key already used and still valid; null when it expired (and is now removed).</summary>
    static async Task<StoreOutcome?> EarlierUseAsync(NpgsqlDataSource dataSource, SubmitPurchaseRequest request, Instant now,
        CancellationToken ct)
    {
        await using var select = dataSource.CreateCommand("""
            WITH expired AS (DELETE FROM idempotency_keys WHERE "user" = $1 AND key = $2 AND expires_at <= $3)
            SELECT request_hash, purchase_id, response FROM idempotency_keys
            WHERE "user" = $1 AND key = $2 AND expires_at > $3
            """);
        select.Parameters.Add(new NpgsqlParameter { Value = request.User });
        select.Parameters.Add(new NpgsqlParameter { Value = request.IdempotencyKey });
        select.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return ((byte[])reader[0]).AsSpan().SequenceEqual(request.RequestHash)
            ? new StoreOutcome.Repeated(reader.GetGuid(1), reader.GetString(2))
            : new StoreOutcome.KeyReused();
    }

    static async Task InsertPurchaseAndOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        SubmitPurchaseRequest request, Instant now, string? traceParent, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
            VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.User });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.RetailerId });
        insert.Parameters.Add(new NpgsqlParameter { Value = PurchaseStatus.Pending });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.Schedule!.Count });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        var (from, to) = request.Schedule.DeliveryDates();
        insert.Parameters.Add(new NpgsqlParameter { Value = from });
        insert.Parameters.Add(new NpgsqlParameter { Value = to });
        batch.BatchCommands.Add(insert);
        OutboxWriter.AddWorkflowCreate(batch, id, request.User, request.RetailerId, now, traceParent);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads the items a run at a time, each run's rows sent before the next is read; a refused item's message, or null.</summary>
    static async Task<string?> CopyRowsAsync(NpgsqlConnection connection, Guid id, PurchaseSchedule schedule, CancellationToken ct)
    {
        if (schedule.ItemsRead > 0) throw new InvalidOperationException("The schedule's rows can be copied only once.");
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY purchase_rows (purchase_id, position, local_time, instant, mw) FROM STDIN (FORMAT BINARY)", ct);
        while (schedule.ItemsRead < schedule.Count)
        {
            if (schedule.ReadRun() is { } refused)
                return refused;  // disposing the importer unfinished cancels the COPY
            for (var i = schedule.RunStart; i < schedule.ItemsRead; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(schedule.LocalTimes[i], NpgsqlDbType.Timestamp, ct);
                await copy.WriteAsync(schedule.Instants[i - schedule.RunStart], NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(schedule.Megawatts[i - schedule.RunStart], NpgsqlDbType.Numeric, ct);
            }
        }
        await copy.CompleteAsync(ct);
        return null;
    }
}
