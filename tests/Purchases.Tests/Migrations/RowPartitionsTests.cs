using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Persistence.Partitions;
using Purchases.Tests.Infrastructure;

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

    static async Task<(NpgsqlDataSource DataSource, IMigrator Migrator, PurchasesDbContext Context)> DatabaseAtAsync(string migration)
    {
        var database = $"partitions_{Guid.NewGuid():N}";
        TestDatabase.Shared.Cluster.EnsureDatabase(database);
        var connectionString = TestDatabase.Shared.Cluster.ConnectionString(database);
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        var context = new PurchasesDbContext(new DbContextOptionsBuilder<PurchasesDbContext>()
            .UseNpgsql(connectionString, o => o.UseNodaTime()).UseSnakeCaseNamingConvention().Options);
        var migrator = context.GetService<IMigrator>();
        await migrator.MigrateAsync(migration, Ct);
        return (dataSource, migrator, context);
    }

    static RowPartitions Partitions(NpgsqlDataSource dataSource, Instant now, int? retentionMonths = null) => new(dataSource,
        new FixedClock(now), Options.Create(new RowPartitionOptions { RetentionMonths = retentionMonths }),
        NullLogger<RowPartitions>.Instance);

    static async Task InsertRowsAsync(NpgsqlDataSource dataSource, Guid purchase, int count)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO purchase_rows (purchase_id, position, local_time, instant, mw)
            SELECT $1, n, '2025-11-11 00:00'::timestamp + n * interval '15 minutes', '2025-11-10T23:00:00Z'::timestamptz + n * interval '15 minutes', n * 1.5
            FROM generate_series(0, $2 - 1) n
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = purchase });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync(Ct);
    }

    static async Task<string?> ScalarAsync(NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }

    static Task<string?> PartitionOfAsync(NpgsqlDataSource dataSource, Guid purchase) =>
        ScalarAsync(dataSource, "SELECT DISTINCT tableoid::regclass::text FROM purchase_rows WHERE purchase_id = $1", purchase);

    [Fact]
    public async Task A_table_the_service_wrote_becomes_the_first_partition_as_it_is_and_months_are_made_ahead()
    {
        var (dataSource, migrator, context) = await DatabaseAtAsync("Webhooks");
        await using var _ = dataSource;
        await using var __ = context;
        var old = V7At(Now - Duration.FromDays(400));
        var recent = V7At(Now);
        await InsertRowsAsync(dataSource, old, 96);
        await InsertRowsAsync(dataSource, recent, 100);
        var legacyFile = await ScalarAsync(dataSource, "SELECT pg_relation_filenode('purchase_rows')");

        await migrator.MigrateAsync(cancellationToken: Ct);

        // The very same table (same file on disk: nothing copied), now the range below next month.
        Assert.Equal(legacyFile, await ScalarAsync(dataSource, "SELECT pg_relation_filenode('purchase_rows_legacy')"));
        var nextMonth = Now.InUtc().Date.With(DateAdjusters.StartOfMonth).PlusMonths(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        Assert.Equal($"FOR VALUES FROM (MINVALUE) TO ('{RowPartitions.FirstIdAt(nextMonth)}')",
            await ScalarAsync(dataSource, "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'purchase_rows_legacy'"));
        Assert.Equal("196", await ScalarAsync(dataSource, "SELECT count(*) FROM purchase_rows"));
        Assert.Equal("purchase_rows_legacy", await PartitionOfAsync(dataSource, old));
        Assert.Equal("0", await ScalarAsync(dataSource, "SELECT count(*) FROM purchase_rows_default"));

        var partitions = Partitions(dataSource, Now);
        await partitions.MaintainAsync(Ct);
        await partitions.MaintainAsync(Ct); // again: nothing more

        var names = (await partitions.ListAsync(Ct)).Select(p => p.Name).ToList();
        var ahead = Enumerable.Range(1, 3).Select(m => MonthName(nextMonth.InUtc().LocalDateTime.PlusMonths(m - 1).InUtc().ToInstant())).ToList();
        Assert.Equal(new[] { "purchase_rows_default", "purchase_rows_legacy" }.Concat(ahead).Order(), names.Order());
        var inTwoMonths = V7At(nextMonth + Duration.FromDays(40));
        await InsertRowsAsync(dataSource, inTwoMonths, 4);
        Assert.Equal(MonthName(nextMonth + Duration.FromDays(40)), await PartitionOfAsync(dataSource, inTwoMonths));
        // A read of one purchase touches one partition.
        var plan = await ScalarAsync(dataSource, $"EXPLAIN SELECT * FROM purchase_rows WHERE purchase_id = '{inTwoMonths}'");
        Assert.DoesNotContain("purchase_rows_legacy", plan);
    }

    [Fact]
    public async Task A_new_database_has_monthly_partitions_and_the_default_only()
    {
        var (dataSource, migrator, context) = await DatabaseAtAsync("Webhooks");
        await using var _ = dataSource;
        await using var __ = context;

        await migrator.MigrateAsync(cancellationToken: Ct);
        Assert.Equal(["purchase_rows_default"], (await Partitions(dataSource, Now).ListAsync(Ct)).Select(p => p.Name));
        await Partitions(dataSource, Now).MaintainAsync(Ct);

        Assert.Equal(5, (await Partitions(dataSource, Now).ListAsync(Ct)).Count);
        var purchase = Guid.CreateVersion7();
        await InsertRowsAsync(dataSource, purchase, 96);
        Assert.Equal(MonthName(Now), await PartitionOfAsync(dataSource, purchase));
    }

    [Fact]
    public async Task Ids_that_are_not_v7_keep_the_old_table_as_the_default_and_a_new_month_takes_its_rows()
    {
        var (dataSource, migrator, context) = await DatabaseAtAsync("Webhooks");
        await using var _ = dataSource;
        await using var __ = context;
        var random = Guid.NewGuid();
        while (string.CompareOrdinal(random.ToString("N"), "a") < 0) random = Guid.NewGuid(); // far above any month
        var thisMonth = V7At(Now);
        await InsertRowsAsync(dataSource, random, 10);
        await InsertRowsAsync(dataSource, thisMonth, 20);

        await migrator.MigrateAsync(cancellationToken: Ct);

        Assert.Equal("DEFAULT", await ScalarAsync(dataSource,
            "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'purchase_rows_legacy'"));
        await Partitions(dataSource, Now).MaintainAsync(Ct);

        Assert.Equal(MonthName(Now), await PartitionOfAsync(dataSource, thisMonth));
        Assert.Equal("purchase_rows_legacy", await PartitionOfAsync(dataSource, random));
        Assert.Equal("30", await ScalarAsync(dataSource, "SELECT count(*) FROM purchase_rows"));
        Assert.Equal("20", await ScalarAsync(dataSource, $"SELECT count(*) FROM {MonthName(Now)}"));
    }

    [Fact]
    public async Task Retention_drops_the_months_past_it_and_keeps_the_purchases()
    {
        var (dataSource, migrator, context) = await DatabaseAtAsync("Webhooks");
        await using var _ = dataSource;
        await using var __ = context;
        var old = V7At(Now - Duration.FromDays(60));
        await InsertRowsAsync(dataSource, old, 96);
        await migrator.MigrateAsync(cancellationToken: Ct);
        await Partitions(dataSource, Now).MaintainAsync(Ct);
        var later = Now + Duration.FromDays(62);
        var kept = V7At(later);
        await InsertRowsAsync(dataSource, kept, 5);

        // Four months on, keeping two whole months before the current one: the old table's range is gone.
        var partitions = Partitions(dataSource, Now + Duration.FromDays(124), retentionMonths: 2);
        await partitions.MaintainAsync(Ct);

        Assert.DoesNotContain("purchase_rows_legacy", (await partitions.ListAsync(Ct)).Select(p => p.Name));
        Assert.Null(await PartitionOfAsync(dataSource, old));
        Assert.Equal(MonthName(later), await PartitionOfAsync(dataSource, kept));
        Assert.Equal("5", await ScalarAsync(dataSource, "SELECT count(*) FROM purchase_rows"));
    }

    sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
