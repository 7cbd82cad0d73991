using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.Persistence.Partitions;

/// <summary>
/// Keeps <c>purchase_rows</c>'s monthly partitions: makes the current month and <see cref="RowPartitionOptions.MonthsAhead"/>
/// more, moving into a new partition any rows the default partition held for its range; and, when
/// <see cref="RowPartitionOptions.RetentionMonths"/> is set, detaches and drops the months past it. A purchase id is a
/// UUIDv7, so a month's ids are one range: the first id of a month is its first millisecond, then zeros. Instances
/// may run this at once: one transaction-scoped advisory lock makes them take turns.
/// </summary>
public sealed partial class RowPartitions(NpgsqlDataSource dataSource, IClock clock, IOptions<RowPartitionOptions> options,
    ILogger<RowPartitions> logger)
{
    const long AdvisoryLock = 0x7075_7263_6861_7365; // "purchase"

    /// <summary>A partition; MINVALUE and MAXVALUE bounds are the lowest and the highest id.</summary>
    public sealed record Partition(string Name, bool IsDefault, Guid From, Guid To);

    static readonly Guid Lowest = Guid.Empty;
    static readonly Guid Highest = Guid.ParseExact(new string('f', 32), "N");

    /// <summary>One transaction, one lock and one look at the partitions for the whole run.</summary>
    public async Task MaintainAsync(CancellationToken ct)
    {
        var current = MonthOf(clock.GetCurrentInstant());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, transaction, ct);
        var partitions = await ListAsync(connection, transaction, ct);
        var created = new List<(string Name, int Moved)>();
        for (var month = current; month <= current.PlusMonths(options.Value.MonthsAhead); month = month.PlusMonths(1))
            if (await EnsureAsync(connection, transaction, partitions, month, ct) is { } made)
                created.Add(made);
        var dropped = options.Value.RetentionMonths is { } keep
            ? await DropBeforeAsync(connection, transaction, partitions, current.PlusMonths(-keep), ct)
            : [];
        await transaction.CommitAsync(ct);

        foreach (var (name, moved) in created)
            logger.LogInformation("Created partition {Partition} of purchase_rows ({Moved} rows moved from the default partition)",
                name, moved);
        foreach (var name in dropped)
            logger.LogWarning("Dropped partition {Partition} of purchase_rows: its purchases are past RowPartitions:RetentionMonths",
                name);
    }

    public async Task<IReadOnlyList<Partition>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ListAsync(connection, null, ct);
    }

    /// <summary>The first possible UUIDv7 of an instant's millisecond.</summary>
    public static Guid FirstIdAt(Instant instant) =>
        Guid.ParseExact(instant.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture) + new string('0', 20), "N");

    static LocalDate MonthOf(Instant instant) => instant.InUtc().Date.With(DateAdjusters.StartOfMonth);

    static Guid FirstIdOf(LocalDate month) => FirstIdAt(month.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());

    static string NameOf(LocalDate month) => $"purchase_rows_y{month.Year:D4}m{month.Month:D2}";

    /// <summary>Makes the month's partition unless one covers it; the new one joins <paramref name="partitions"/>.</summary>
    static async Task<(string Name, int Moved)?> EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<Partition> partitions, LocalDate month, CancellationToken ct)
    {
        var (from, to) = (FirstIdOf(month), FirstIdOf(month.PlusMonths(1)));
        // Covered already: by this month's partition, or by the range the conversion gave the old table.
        if (partitions.Any(p => !p.IsDefault && Compare(p.From, from) <= 0 && Compare(to, p.To) <= 0)) return null;

        var name = NameOf(month);
        var fallback = partitions.FirstOrDefault(p => p.IsDefault);
        await using (var create = new NpgsqlCommand(
            $"CREATE TABLE {name} (LIKE purchase_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", connection, transaction))
            await create.ExecuteNonQueryAsync(ct);
        var moved = 0;
        if (fallback is not null)
        {
            // The default partition may hold rows of this range (made while no partition had it): they move first.
            await using var move = new NpgsqlCommand($"""
                WITH moved AS (DELETE FROM {fallback.Name} WHERE purchase_id >= $1 AND purchase_id < $2 RETURNING *)
                INSERT INTO {name} SELECT * FROM moved
                """, connection, transaction);
            move.Parameters.Add(new NpgsqlParameter { Value = from });
            move.Parameters.Add(new NpgsqlParameter { Value = to });
            moved = await move.ExecuteNonQueryAsync(ct);
        }
        await using (var attach = new NpgsqlCommand(
            $"ALTER TABLE purchase_rows ATTACH PARTITION {name} FOR VALUES FROM ('{from}') TO ('{to}')", connection, transaction))
            await attach.ExecuteNonQueryAsync(ct);
        partitions.Add(new Partition(name, false, from, to));
        return (name, moved);
    }

    static async Task<List<string>> DropBeforeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<Partition> partitions, LocalDate month, CancellationToken ct)
    {
        var before = FirstIdOf(month);
        var dropped = new List<string>();
        foreach (var old in partitions.Where(p => !p.IsDefault && Compare(p.To, before) <= 0).ToList())
        {
            await using var drop = new NpgsqlCommand(
                $"ALTER TABLE purchase_rows DETACH PARTITION {old.Name}; DROP TABLE {old.Name}", connection, transaction);
            await drop.ExecuteNonQueryAsync(ct);
            partitions.Remove(old);
            dropped.Add(old.Name);
        }
        return dropped;
    }

    static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLock})", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<List<Partition>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'purchase_rows'::regclass
            ORDER BY c.relname
            """, connection, transaction);
        var partitions = new List<Partition>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var bound = reader.GetString(1);
            var range = Range().Match(bound);
            partitions.Add(new Partition(reader.GetString(0), bound == "DEFAULT",
                range.Success && range.Groups["from"].Value != "MINVALUE" ? Guid.Parse(range.Groups["from"].Value.Trim('\'')) : Lowest,
                range.Success && range.Groups["to"].Value != "MAXVALUE" ? Guid.Parse(range.Groups["to"].Value.Trim('\'')) : Highest));
        }
        return partitions;
    }

    /// <summary>Orders ids as PostgreSQL does: byte by byte, as they are written.</summary>
    static int Compare(Guid left, Guid right) => string.CompareOrdinal(left.ToString("N"), right.ToString("N"));

    [GeneratedRegex(@"FROM \((?<from>[^)]+)\) TO \((?<to>[^)]+)\)")]
    private static partial Regex Range();
}
