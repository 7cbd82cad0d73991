using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Persistence.Partitions;

namespace Purchases.Tests.Migrations;

/// <summary>
/// <c>purchase_rows</c> partitioned by the purchase's creation month (its UUIDv7 id): an existing table converts
/// without a row lost or copied, partitions are made ahead (moving what the default partition held of their range),
/// and retention drops whole months.
/// </summary>
public sealed class RowPartitionsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly Instant Now = SystemClock.Instance.GetCurrentInstant();

    /// <summary>A UUIDv7 made at <paramref name="at"/>, as <c>Guid.CreateVersion7</c> would.</summary>
    static Guid V7At(Instant at) => Guid.CreateVersion7(at.ToDateTimeOffset());

    static string MonthName(Instant at) => $"purchase_rows_y{at.InUtc().Year:D4}m{at.InUtc().Month:D2}";

    static RowPartitions Partitions(NpgsqlDataSource dataSource, Instant now, int? retentionMonths = null) => new(dataSource,
        new FixedClock(now), Options.Create(new RowPartitionOptions { RetentionMonths = retentionMonths }),
        NullLogger<RowPartitions>.Instance);

    static Task InsertRowsAsync(MigrationDatabase database, Guid purchase, int count) => database.ExecuteAsync("""
        INSERT INTO purchase_rows (purchase_id, position, local_time, instant, mw)
        SELECT $1, n, '2025-11-11 00:00'::timestamp + n * interval '15 minutes', '2025-11-10T23:00:00Z'::timestamptz + n * interval '15 minutes', n * 1.5
        FROM generate_series(0, $2 - 1) n
        """, purchase, count);

    static Task<string?> PartitionOfAsync(MigrationDatabase database, Guid purchase) =>
        database.ScalarAsync("SELECT DISTINCT tableoid::regclass::text FROM purchase_rows WHERE purchase_id = $1", purchase);

    [Fact]
    public async Task A_table_the_service_wrote_becomes_the_first_partition_as_it_is_and_months_are_made_ahead()
    {
        await using var database = await MigrationDatabase.AtAsync("Webhooks");
        var old = V7At(Now - Duration.FromDays(400));
        var recent = V7At(Now);
        await InsertRowsAsync(database, old, 96);
        await InsertRowsAsync(database, recent, 100);
        var legacyFile = await database.ScalarAsync("SELECT pg_relation_filenode('purchase_rows')");

        await database.MigrateAsync();

        // The very same table (same file on disk: nothing copied), now the range below next month.
        Assert.Equal(legacyFile, await database.ScalarAsync("SELECT pg_relation_filenode('purchase_rows_legacy')"));
        var nextMonth = Now.InUtc().Date.With(DateAdjusters.StartOfMonth).PlusMonths(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        Assert.Equal($"FOR VALUES FROM (MINVALUE) TO ('{RowPartitions.FirstIdAt(nextMonth)}')",
            await database.ScalarAsync("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'purchase_rows_legacy'"));
        Assert.Equal("196", await database.ScalarAsync("SELECT count(*) FROM purchase_rows"));
        Assert.Equal("purchase_rows_legacy", await PartitionOfAsync(database, old));
        Assert.Equal("0", await database.ScalarAsync("SELECT count(*) FROM purchase_rows_default"));

        var partitions = Partitions(database.DataSource, Now);
        await partitions.MaintainAsync(Ct);
        await partitions.MaintainAsync(Ct); // again: nothing more

        var names = (await partitions.ListAsync(Ct)).Select(p => p.Name).ToList();
        var ahead = Enumerable.Range(1, 3).Select(m => MonthName(nextMonth.InUtc().LocalDateTime.PlusMonths(m - 1).InUtc().ToInstant())).ToList();
        Assert.Equal(new[] { "purchase_rows_default", "purchase_rows_legacy" }.Concat(ahead).Order(), names.Order());
        var inTwoMonths = V7At(nextMonth + Duration.FromDays(40));
        await InsertRowsAsync(database, inTwoMonths, 4);
        Assert.Equal(MonthName(nextMonth + Duration.FromDays(40)), await PartitionOfAsync(database, inTwoMonths));
        // A read of one purchase touches one partition.
        var plan = await database.ScalarAsync($"EXPLAIN SELECT * FROM purchase_rows WHERE purchase_id = '{inTwoMonths}'");
        Assert.DoesNotContain("purchase_rows_legacy", plan);
    }

    [Fact]
    public async Task A_new_database_has_monthly_partitions_and_the_default_only()
    {
        await using var database = await MigrationDatabase.AtAsync("Webhooks");

        await database.MigrateAsync();
        Assert.Equal(["purchase_rows_default"], (await Partitions(database.DataSource, Now).ListAsync(Ct)).Select(p => p.Name));
        await Partitions(database.DataSource, Now).MaintainAsync(Ct);

        Assert.Equal(5, (await Partitions(database.DataSource, Now).ListAsync(Ct)).Count);
        var purchase = Guid.CreateVersion7();
        await InsertRowsAsync(database, purchase, 96);
        Assert.Equal(MonthName(Now), await PartitionOfAsync(database, purchase));
    }

    [Fact]
    public async Task Ids_that_are_not_v7_keep_the_old_table_as_the_default_and_a_new_month_takes_its_rows()
    {
        await using var database = await MigrationDatabase.AtAsync("Webhooks");
        var random = Guid.NewGuid();
        while (string.CompareOrdinal(random.ToString("N"), "a") < 0) random = Guid.NewGuid(); // far above any month
        var thisMonth = V7At(Now);
        await InsertRowsAsync(database, random, 10);
        await InsertRowsAsync(database, thisMonth, 20);

        await database.MigrateAsync();

        Assert.Equal("DEFAULT", await database.ScalarAsync(
            "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'purchase_rows_legacy'"));
        await Partitions(database.DataSource, Now).MaintainAsync(Ct);

        Assert.Equal(MonthName(Now), await PartitionOfAsync(database, thisMonth));
        Assert.Equal("purchase_rows_legacy", await PartitionOfAsync(database, random));
        Assert.Equal("30", await database.ScalarAsync("SELECT count(*) FROM purchase_rows"));
        Assert.Equal("20", await database.ScalarAsync($"SELECT count(*) FROM {MonthName(Now)}"));
    }

    [Fact]
    public async Task Retention_drops_the_months_past_it_and_keeps_the_purchases()
    {
        await using var database = await MigrationDatabase.AtAsync("Webhooks");
        var old = V7At(Now - Duration.FromDays(60));
        await InsertRowsAsync(database, old, 96);
        await database.MigrateAsync();
        await Partitions(database.DataSource, Now).MaintainAsync(Ct);
        var later = Now + Duration.FromDays(62);
        var kept = V7At(later);
        await InsertRowsAsync(database, kept, 5);

        // Four months on, keeping two whole months before the current one: the old table's range is gone.
        var partitions = Partitions(database.DataSource, Now + Duration.FromDays(124), retentionMonths: 2);
        await partitions.MaintainAsync(Ct);

        Assert.DoesNotContain("purchase_rows_legacy", (await partitions.ListAsync(Ct)).Select(p => p.Name));
        Assert.Null(await PartitionOfAsync(database, old));
        Assert.Equal(MonthName(later), await PartitionOfAsync(database, kept));
        Assert.Equal("5", await database.ScalarAsync("SELECT count(*) FROM purchase_rows"));
    }

    sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
