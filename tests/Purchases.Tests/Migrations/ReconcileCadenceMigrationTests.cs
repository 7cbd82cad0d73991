namespace Purchases.Tests.Migrations;

/// <summary>
/// A database whose reconciler read workflows by "not read for an interval": after the migration every workflow read
/// before is due at once, the least recently read first, and one never read stays first in line.
/// </summary>
public sealed class ReconcileCadenceMigrationTests
{
    [Fact]
    public async Task Workflows_read_before_are_due_at_their_last_read_and_final_purchases_are_left_alone()
    {
        await using var database = await MigrationDatabase.AtAsync("RowPartitions");
        await database.ExecuteAsync("""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from,
                                   delivery_to, workflow_phase, workflow_checked_at)
            VALUES ('00000000-0000-7000-8000-000000000001', 'u', '1', 'pending', 0, now(), now(), current_date, current_date,
                    'Running', '2026-12-01T10:00:00Z'),
                   ('00000000-0000-7000-8000-000000000002', 'u', '1', 'in_progress', 0, now(), now(), current_date, current_date,
                    'Running', '2026-12-01T09:00:00Z'),
                   ('00000000-0000-7000-8000-000000000003', 'u', '1', 'pending', 0, now(), now(), current_date, current_date,
                    NULL, NULL),
                   ('00000000-0000-7000-8000-000000000004', 'u', '1', 'completed', 0, now(), now(), current_date, current_date,
                    'Succeeded', '2026-12-01T08:00:00Z');
            """);

        await database.MigrateAsync("ReconcileCadence");

        Assert.Equal("3:-,2:01 09:00,1:01 10:00,4:-", await database.ScalarAsync("""
            SELECT string_agg(right(id::text, 1) || ':' || coalesce(to_char(workflow_next_check_at AT TIME ZONE 'UTC', 'DD HH24:MI'), '-'), ','
                              ORDER BY status = 'completed', workflow_next_check_at NULLS FIRST)
            FROM purchases
            """));
        Assert.Contains("(workflow_next_check_at NULLS FIRST) WHERE", await database.ScalarAsync(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_purchases_reconcile'"));
    }
}
