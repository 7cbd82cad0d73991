using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReconcileAcceptedWorkflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Until now a null next read meant "due at once": the workflows Argo accepted that were never read (or were
            // retried in place) are due now, so that the new index holds them. Those still in the outbox stay null.
            migrationBuilder.Sql("""
                UPDATE purchases p SET workflow_next_check_at = now()
                WHERE p.status IN ('pending', 'in_progress') AND p.workflow_next_check_at IS NULL
                  AND EXISTS (SELECT 1 FROM outbox_entries o
                              WHERE o.purchase_id = p.id AND o.kind = 'argo.workflow.create' AND o.state = 'submitted')
                """);

            migrationBuilder.DropIndex(
                name: "ix_purchases_reconcile",
                table: "purchases");

            migrationBuilder.CreateIndex(
                name: "ix_purchases_reconcile",
                table: "purchases",
                column: "workflow_next_check_at",
                filter: "status IN ('pending', 'in_progress') AND workflow_next_check_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_purchases_reconcile",
                table: "purchases");

            migrationBuilder.CreateIndex(
                name: "ix_purchases_reconcile",
                table: "purchases",
                column: "workflow_next_check_at",
                filter: "status IN ('pending', 'in_progress')")
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.NullsFirst });
        }
    }
}
