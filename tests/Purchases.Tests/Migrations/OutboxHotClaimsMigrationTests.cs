using Npgsql;

namespace Purchases.Tests.Migrations;

/// <summary>
/// The outbox's pages are written half full and it has no index on state alone: the drain's lease (locked_until,
/// locked_by, read by no index) is then a HOT update, a new row version on the same page and none in the indexes.
/// </summary>
public sealed class OutboxHotClaimsMigrationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_are_kept_and_a_batch_leased_after_the_migration_is_updated_in_place()
    {
        await using var database = await MigrationDatabase.AtAsync("ReconcileCadence");
        await InsertPendingAsync(database, 100);
        Assert.InRange(await LeasedInPlaceAsync(database), 0, 20);  // full pages: a new version goes elsewhere, and into every index

        await database.MigrateAsync();

        Assert.Equal("100", await database.ScalarAsync("SELECT count(*) FROM outbox_entries WHERE state = 'pending'"));
        Assert.Equal("{fillfactor=50}", await database.ScalarAsync("SELECT reloptions::text FROM pg_class WHERE relname = 'outbox_entries'"));
        Assert.Equal("0", await database.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_outbox_entries_state'"));
        await database.ExecuteAsync("UPDATE outbox_entries SET state = 'submitted', submitted_at = now(), locked_by = NULL, locked_until = NULL");
        await InsertPendingAsync(database, 100);
        // Not quite all: a row that lands on a page of before the migration, with a little room left, may not fit twice.
        Assert.InRange(await LeasedInPlaceAsync(database), 90, 100);
    }

    static Task InsertPendingAsync(MigrationDatabase database, int count) => database.ExecuteAsync("""
        WITH p AS (
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
            SELECT gen_random_uuid(), 'u', '1', 'pending', 0, now(), now(), current_date, current_date FROM generate_series(1, $1)
            RETURNING id)
        INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at)
        SELECT gen_random_uuid(), id, '{"user": "u", "retailer_id": "1"}', 'purchase-' || id, now(), now(), now() FROM p
        """, count);

    /// <summary>Leases every pending entry as the drain does, in one transaction; how many row versions stayed in place.</summary>
    static async Task<long> LeasedInPlaceAsync(MigrationDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using var lease = new NpgsqlCommand("""
            UPDATE outbox_entries SET locked_until = now() + interval '5 minutes', locked_by = 'test'
            WHERE id IN (SELECT id FROM outbox_entries WHERE state = 'pending' ORDER BY next_attempt_at, id FOR UPDATE SKIP LOCKED)
            """, connection, transaction);
        await lease.ExecuteNonQueryAsync(Ct);
        await using var hot = new NpgsqlCommand(
            "SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'outbox_entries'", connection, transaction);
        var inPlace = (long)(await hot.ExecuteScalarAsync(Ct))!;
        await transaction.CommitAsync(Ct);
        return inPlace;
    }
}
