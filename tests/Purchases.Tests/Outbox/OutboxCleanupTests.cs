using Microsoft.Extensions.DependencyInjection;
using Purchases.Infrastructure.Outbox;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Outbox;

public sealed class OutboxCleanupTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task Cleanup_deletes_only_submitted_entries_past_the_retention_whose_purchase_is_final()
    {
        // u6 and u7: submitted long ago, but their purchases are not final: the reconciler still follows them.
        await Api.ExecuteAsync("""
            WITH p AS (
                INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
                SELECT gen_random_uuid(), 'u' || n, '1',
                       CASE n WHEN 6 THEN 'pending' WHEN 7 THEN 'in_progress' WHEN 3 THEN 'failed' ELSE 'completed' END,
                       0, now(), now(), current_date, current_date FROM generate_series(1, 7) n
                RETURNING id, "user")
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, state, submitted_at, created_at, updated_at)
            SELECT gen_random_uuid(), id, '{}', 'purchase-' || id,
                   CASE "user" WHEN 'u4' THEN 'failed' WHEN 'u5' THEN 'pending' ELSE 'submitted' END,
                   CASE "user" WHEN 'u1' THEN now() - interval '8 days' WHEN 'u2' THEN now() - interval '6 days'
                               WHEN 'u3' THEN now() - interval '30 days' WHEN 'u6' THEN now() - interval '9 days'
                               WHEN 'u7' THEN now() - interval '9 days' END,
                   now() - interval '40 days', now()
            FROM p
            """);

        var deleted = await ActivatorUtilities.CreateInstance<OutboxCleanupJob>(Api.Services).CleanupAsync(CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal("u2,u4,u5,u6,u7", await Api.ScalarAsync<string>("""
            SELECT string_agg(p."user", ',' ORDER BY p."user") FROM outbox_entries e JOIN purchases p ON p.id = e.purchase_id
            """));
    }
}
