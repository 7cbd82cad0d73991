using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// <c>purchase_rows</c> becomes partitioned by range on <c>purchase_id</c> (a UUIDv7: the purchase's creation month),
    /// without copying a row: the old table is attached as it is, as the range below next month when every id in it
    /// is (a database the service wrote), otherwise as the default partition; an empty one is dropped. <c>RowPartitions</c> makes the months
    /// ahead (docs/design/partitioning.md).
    /// </summary>
    public partial class RowPartitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE purchase_rows RENAME TO purchase_rows_legacy;
                ALTER TABLE purchase_rows_legacy RENAME CONSTRAINT pk_purchase_rows TO pk_purchase_rows_legacy;
                CREATE TABLE purchase_rows (
                    purchase_id uuid NOT NULL,
                    position integer NOT NULL,
                    local_time timestamp without time zone NOT NULL,
                    instant timestamp with time zone NOT NULL,
                    mw numeric NOT NULL,
                    CONSTRAINT pk_purchase_rows PRIMARY KEY (purchase_id, position)
                ) PARTITION BY RANGE (purchase_id);
                DO $$
                DECLARE
                    next_month timestamptz := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
                    cutover uuid := (lpad(to_hex((extract(epoch FROM next_month) * 1000)::bigint), 12, '0') || repeat('0', 20))::uuid;
                    newest uuid := (SELECT purchase_id FROM purchase_rows_legacy ORDER BY purchase_id DESC LIMIT 1);
                BEGIN
                    IF newest IS NULL THEN
                        -- A new database: only monthly partitions (made by RowPartitions) and the default.
                        DROP TABLE purchase_rows_legacy;
                        CREATE TABLE purchase_rows_default PARTITION OF purchase_rows DEFAULT;
                    ELSIF newest < cutover THEN
                        EXECUTE format('ALTER TABLE purchase_rows ATTACH PARTITION purchase_rows_legacy FOR VALUES FROM (MINVALUE) TO (%L)', cutover);
                        CREATE TABLE purchase_rows_default PARTITION OF purchase_rows DEFAULT;
                    ELSE
                        ALTER TABLE purchase_rows ATTACH PARTITION purchase_rows_legacy DEFAULT;
                    END IF;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one plain table: this one copies every row.
            migrationBuilder.Sql("""
                CREATE TABLE purchase_rows_plain (
                    purchase_id uuid NOT NULL,
                    position integer NOT NULL,
                    local_time timestamp without time zone NOT NULL,
                    instant timestamp with time zone NOT NULL,
                    mw numeric NOT NULL,
                    CONSTRAINT pk_purchase_rows_plain PRIMARY KEY (purchase_id, position));
                INSERT INTO purchase_rows_plain SELECT purchase_id, position, local_time, instant, mw FROM purchase_rows;
                DROP TABLE purchase_rows;
                ALTER TABLE purchase_rows_plain RENAME TO purchase_rows;
                ALTER TABLE purchase_rows RENAME CONSTRAINT pk_purchase_rows_plain TO pk_purchase_rows;
                """);
        }
    }
}
