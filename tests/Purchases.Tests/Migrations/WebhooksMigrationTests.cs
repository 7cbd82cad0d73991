using Npgsql;

namespace Purchases.Tests.Migrations;

/// <summary>
/// A database with outbox entries from before webhooks: they keep every value as Argo entries, a purchase still has
/// at most one of those, and it may now have any number of webhook deliveries, each of the delivery's shape.
/// </summary>
public sealed class WebhooksMigrationTests
{
    [Fact]
    public async Task Existing_entries_stay_argo_entries_and_deliveries_get_their_own_shape()
    {
        await using var database = await MigrationDatabase.AtAsync("PurchaseListAndDeliveryDates");
        var purchase = Guid.NewGuid();
        await database.ExecuteAsync($$"""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
            VALUES ('{{purchase}}', 'u', '1', 'in_progress', 0, now(), now(), current_date, current_date);
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, submitted_at, argo_uid, next_attempt_at,
                                        created_at, updated_at, trace_parent)
            VALUES (gen_random_uuid(), '{{purchase}}', '{"user": "u", "retailer_id": "1"}', 'purchase-{{purchase}}', 'submitted',
                    now(), 'uid-1', now(), now(), now(), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
            """);

        await database.MigrateAsync();

        Assert.Equal($"argo.workflow.create|purchase-{purchase}|submitted|uid-1|00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            await database.ScalarAsync($$"""
                SELECT concat_ws('|', kind, workflow_name, state, argo_uid, trace_parent) FROM outbox_entries WHERE purchase_id = '{{purchase}}'
                """));
        var secondArgoEntry = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($$"""
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at)
            VALUES (gen_random_uuid(), '{{purchase}}', '{}', 'purchase-other', now(), now(), now())
            """));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, secondArgoEntry.SqlState);

        var endpoint = Guid.NewGuid();
        await database.ExecuteAsync($$"""
            INSERT INTO webhook_endpoints (id, "user", url, events, protected_secret, created_at, updated_at)
            VALUES ('{{endpoint}}', 'u', 'https://93.184.215.14/h', '{purchase.completed}', 'x', now(), now());
            INSERT INTO outbox_entries (id, purchase_id, kind, payload, webhook_endpoint_id, next_attempt_at, created_at, updated_at)
            SELECT gen_random_uuid(), '{{purchase}}', 'webhook.delivery', '{}', '{{endpoint}}', now(), now(), now()
            FROM generate_series(1, 2);
            """);
        Assert.Equal("3", await database.ScalarAsync($"SELECT count(*) FROM outbox_entries WHERE purchase_id = '{purchase}'"));
        var deliveryWithWorkflow = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($$"""
            INSERT INTO outbox_entries (id, purchase_id, kind, payload, workflow_name, webhook_endpoint_id, next_attempt_at, created_at, updated_at)
            VALUES (gen_random_uuid(), '{{purchase}}', 'webhook.delivery', '{}', 'purchase-x', '{{endpoint}}', now(), now(), now())
            """));
        Assert.Equal(PostgresErrorCodes.CheckViolation, deliveryWithWorkflow.SqlState);
    }
}
