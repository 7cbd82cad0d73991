namespace Purchases.Tests.Infrastructure;

/// <summary>Arranges outbox entries in bulk (with their purchases) in states the drain would take long to reach.</summary>
public static class OutboxSeed
{
    public static Task InsertAsync(this ApiFactory api, int count, string state = "failed", string user = "trebolenergia",
        string retailerId = "123", string? lastError = "HTTP 500: boom", int attempts = 10, string createdAgo = "1 hour") =>
        api.ExecuteAsync($"""
            WITH p AS (
                INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
                SELECT gen_random_uuid(), '{user}', '{retailerId}', 'pending', 0, now(), now(), current_date, current_date FROM generate_series(1, {count})
                RETURNING id)
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, attempts, last_error, next_attempt_at,
                                        created_at, updated_at, submitted_at, failed_at)
            SELECT gen_random_uuid(), id, jsonb_build_object('user', '{user}', 'retailer_id', '{retailerId}'), 'purchase-' || id,
                   '{state}', {attempts}, {(lastError is null ? "NULL" : $"'{lastError}'")}, now(),
                   now() - interval '{createdAgo}' + (clock_timestamp() - statement_timestamp()), now(),
                   CASE WHEN '{state}' = 'submitted' THEN now() END, CASE WHEN '{state}' = 'failed' THEN now() END
            FROM p
            """);
}
