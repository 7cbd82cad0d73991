using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowReconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Instant>(
                name: "last_retried_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_retried_by",
                table: "purchases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "retry_count",
                table: "purchases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Instant>(
                name: "workflow_changed_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "workflow_checked_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "workflow_finished_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "workflow_message",
                table: "purchases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "workflow_phase",
                table: "purchases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "workflow_started_at",
                table: "purchases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_purchases_reconcile",
                table: "purchases",
                column: "workflow_checked_at",
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
                name: "last_retried_at",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "last_retried_by",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "retry_count",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_changed_at",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_checked_at",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_finished_at",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_message",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_phase",
                table: "purchases");

            migrationBuilder.DropColumn(
                name: "workflow_started_at",
                table: "purchases");
        }
    }
}
