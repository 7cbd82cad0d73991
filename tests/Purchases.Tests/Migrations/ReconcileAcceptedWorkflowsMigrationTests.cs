namespace Purchases.Tests.Migrations;

/// <summary>
/// The reconciler's work list holds only workflows Argo accepted: after the migration one accepted but never read is
/// due at once (a null next read meant "due" until then, and the new index leaves nulls out), one still in the outbox
/// stays off the list until the drain puts it there, and the rest keep their next read.
/// </summary>
public sealed class ReconcileAcceptedWorkflowsMigrationTests
{
    [Fact]
    public async Task Accepted_workflows_never_read_are_due_and_those_still_in_the_outbox_are_left_out()
    {
        await using var database = await MigrationDatabase.AtAsync("OutboxHotClaims");
        await database.ExecuteAsync("""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from,
                                   delivery_to, workflow_next_check_at)
            VALUES ('00000000-0000-7000-8000-000000000001', 'u', '1', 'pending', 0, now(), now(), current_date, current_date, NULL),
                   ('00000000-0000-7000-8000-000000000002', 'u', '1', 'in_progress', 0, now(), now(), current_date, current_date,
                    '2026-12-01T09:00:00Z'),
                   ('00000000-0000-7000-8000-000000000003', 'u', '1', 'pending', 0, now(), now(), current_date, current_date, NULL),
                   ('00000000-0000-7000-8000-000000000004', 'u', '1', 'completed', 0, now(), now(), current_date, current_date, NULL);
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, submitted_at, next_attempt_at, created_at, updated_at)
            SELECT gen_random_uuid(), id, '{"user": "u", "retailer_id": "1"}', 'purchase-' || id,
                   CASE WHEN right(id::text, 1) = '3' THEN 'pending' ELSE 'submitted' END,
                   CASE WHEN right(id::text, 1) = '3' THEN NULL ELSE now() END, now(), now(), now()
            FROM purchases;
            """);

        await database.MigrateAsync();

        // What the reconciler claims, in its order: the accepted ones, due; not the one in the outbox, nor the final one.
        Assert.Equal("2,1", await database.ScalarAsync("""
            SELECT string_agg(right(id::text, 1), ',' ORDER BY workflow_next_check_at)
            FROM purchases WHERE status IN ('pending', 'in_progress') AND workflow_next_check_at <= now()
            """));
        Assert.Equal("1:today,2:2026-12-01 09:00,3:-,4:-", await database.ScalarAsync("""
            SELECT string_agg(right(id::text, 1) || ':' || CASE
                       WHEN workflow_next_check_at IS NULL THEN '-'
                       WHEN workflow_next_check_at::date = current_date THEN 'today'
                       ELSE to_char(workflow_next_check_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') END, ',' ORDER BY id)
            FROM purchases
            """));
        Assert.EndsWith("(workflow_next_check_at) WHERE ((status = ANY (ARRAY['pending'::text, 'in_progress'::text])) AND (workflow_next_check_at IS NOT NULL))",
            await database.ScalarAsync("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_purchases_reconcile'"));
    }
}
