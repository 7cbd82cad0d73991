using Npgsql;

namespace Purchases.Tests.Migrations;

/// <summary>
/// A database that holds purchases from before the purchase list: the migration gives each the local dates its stored
/// rows cover, and after it every insert must name them.
/// </summary>
public sealed class PurchaseListMigrationTests
{
    [Fact]
    public async Task Existing_purchases_get_the_delivery_dates_of_their_rows()
    {
        await using var database = await MigrationDatabase.AtAsync("WorkflowReconciliation");
        var spanning = Guid.NewGuid();
        var rowless = Guid.NewGuid();
        await database.ExecuteAsync($"""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at)
            VALUES ('{spanning}', 'u', '1', 'completed', 3, now(), now()),
                   ('{rowless}', 'u', '1', 'completed', 0, '2025-06-01T10:00:00Z', now());
            INSERT INTO purchase_rows (purchase_id, position, local_time, instant, mw) VALUES
              ('{spanning}', 0, '2025-11-12 00:00', '2025-11-11T23:00:00Z', 1),
              ('{spanning}', 1, '2025-11-10 23:45', '2025-11-10T22:45:00Z', 1),
              ('{spanning}', 2, '2025-11-11 12:00', '2025-11-11T11:00:00Z', 1);
            """);

        await database.MigrateAsync();

        Assert.Equal("2025-11-10 2025-11-12", await database.ScalarAsync(
            $"SELECT delivery_from || ' ' || delivery_to FROM purchases WHERE id = '{spanning}'"));
        Assert.Equal("2025-06-01 2025-06-01", await database.ScalarAsync(
            $"SELECT delivery_from || ' ' || delivery_to FROM purchases WHERE id = '{rowless}'"));
        Assert.Equal("3", await database.ScalarAsync($"SELECT count(*) FROM purchase_rows WHERE purchase_id = '{spanning}'"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync("""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at)
            VALUES (gen_random_uuid(), 'u', '1', 'pending', 1, now(), now())
            """));
        Assert.Equal(PostgresErrorCodes.NotNullViolation, refused.SqlState);
    }
}
