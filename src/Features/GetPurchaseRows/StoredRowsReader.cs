using System.Data;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Purchases.Features.GetPurchaseRows;

/// <summary>A purchase's rows in submitted order, read one at a time from PostgreSQL (never all in memory).</summary>
public sealed class StoredRowsReader(NpgsqlCommand command, NpgsqlDataReader reader) : IAsyncDisposable
{
    public static readonly LocalDateTimePattern LocalTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm");

    public readonly record struct Row(int Position, LocalDateTime LocalTime, Instant Utc, decimal Megawatts);

    public Row Current { get; private set; }

    public static async Task<StoredRowsReader> OpenAsync(NpgsqlDataSource dataSource, Guid purchaseId, CancellationToken ct)
    {
        var command = dataSource.CreateCommand(
            "SELECT position, local_time, instant, mw FROM purchase_rows WHERE purchase_id = $1 ORDER BY position");
        command.Parameters.Add(new NpgsqlParameter { Value = purchaseId });
        return new StoredRowsReader(command, await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct));
    }

    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return false;
        // Sequential access: each column once, in order.
        Current = new Row(reader.GetInt32(0), reader.GetFieldValue<LocalDateTime>(1), reader.GetFieldValue<Instant>(2),
            reader.GetDecimal(3));
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
