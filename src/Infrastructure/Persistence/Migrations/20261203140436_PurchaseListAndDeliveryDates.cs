using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PurchaseListAndDeliveryDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_purchases_user",
                table: "purchases");

            migrationBuilder.AddColumn<LocalDate>(
                name: "delivery_from",
                table: "purchases",
                type: "date",
                nullable: false,
                defaultValue: new NodaTime.LocalDate(1, 1, 1));

            migrationBuilder.AddColumn<LocalDate>(
                name: "delivery_to",
                table: "purchases",
                type: "date",
                nullable: false,
                defaultValue: new NodaTime.LocalDate(1, 1, 1));

            // Existing purchases get the dates their stored rows cover; the placeholder default goes, so that every
            // insert has to name them.
            migrationBuilder.Sql("""
                UPDATE purchases p SET delivery_from = r.first_date, delivery_to = r.last_date
                FROM (SELECT purchase_id, min(local_time)::date AS first_date, max(local_time)::date AS last_date
                      FROM purchase_rows GROUP BY purchase_id) r
                WHERE r.purchase_id = p.id;
                UPDATE purchases SET delivery_from = created_at::date, delivery_to = created_at::date
                WHERE delivery_from = DATE '0001-01-01';
                ALTER TABLE purchases ALTER COLUMN delivery_from DROP DEFAULT, ALTER COLUMN delivery_to DROP DEFAULT;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_purchases_user_created",
                table: "purchases",
                columns: new[] { "user", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_purchases_user_status_created",
                table: "purchases",
                columns: new[] { "user", "status", "created_at", "id" },
                descending: new[] { false, false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_purchases_user_created",
                table: "purchases");

            migrationBuilder.DropIndex(
                name: "ix_purchases_user_status_created",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "delivery_from",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "delivery_to",
                table: "purchases");

            migrationBuilder.CreateIndex(
                name: "ix_purchases_user",
                table: "purchases",
                column: "user");
        }
    }
}
