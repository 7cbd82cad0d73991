using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.SubmitPurchase;

/// <summary>The purchase, its rows (binary COPY) and its outbox entry in one transaction: all or nothing.</summary>
public static class SubmitPurchaseStorage
{
    public static async Task StoreAsync(NpgsqlDataSource dataSource, Guid id, SubmitPurchaseRequest request, PurchaseSchedule schedule, Instant now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $6)
                """);
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.User });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.RetailerId });
            insert.Parameters.Add(new NpgsqlParameter { Value = PurchaseStatus.Pending });
            insert.Parameters.Add(new NpgsqlParameter { Value = schedule.Count });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            batch.BatchCommands.Add(insert);
            OutboxWriter.AddWorkflowCreate(batch, id, request.User, request.RetailerId, now, Activity.Current?.Id);
            await batch.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY purchase_rows (purchase_id, position, local_time, instant, mw) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < schedule.Count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(schedule.LocalTimes[i], NpgsqlDbType.Timestamp, ct);
                await copy.WriteAsync(schedule.Instants[i], NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(schedule.Megawatts[i], NpgsqlDbType.Numeric, ct);
            }
            await copy.CompleteAsync(ct);
        }

        // Once we commit, the client's disconnect must not make the outcome uncertain.
        await transaction.CommitAsync(CancellationToken.None);
    }
}
