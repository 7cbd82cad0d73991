using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReconcileCadence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_purchases_reconcile",
                table: "purchases");

            migrationBuilder.AddColumn<Instant>(
                name: "workflow_next_check_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            // Every workflow read before is due now, the least recently read first, as the interval-only claim had it.
            migrationBuilder.Sql("""
                UPDATE purchases SET workflow_next_check_at = workflow_checked_at
                WHERE status IN ('pending', 'in_progress') AND workflow_checked_at IS NOT NULL
                """);

            migrationBuilder.CreateIndex(
                name: "ix_purchases_reconcile",
                table: "purchases",
                column: "workflow_next_check_at",
                filter: "status IN ('pending', 'in_progress')")
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.NullsFirst });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_purchases_reconcile",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_next_check_at",
                table: "purchases");

            migrationBuilder.CreateIndex(
                name: "ix_purchases_reconcile",
                table: "purchases",
                column: "workflow_checked_at",
                filter: "status IN ('pending', 'in_progress')")
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.NullsFirst });
        }
    }
}
