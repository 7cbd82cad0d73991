using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_entries_purchase_id",
                table: "outbox_entries");

            migrationBuilder.AlterColumn<string>(
                name: "workflow_name",
                table: "outbox_entries",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<Guid>(
                name: "webhook_endpoint_id",
                table: "outbox_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    events = table.Column<string[]>(type: "text[]", nullable: false),
                    protected_secret = table.Column<string>(type: "text", nullable: true),
                    protected_previous_secret = table.Column<string>(type: "text", nullable: true),
                    previous_secret_expires_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_endpoints", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_deliveries_purchase_id",
                table: "outbox_entries",
                column: "purchase_id",
                filter: "kind = 'webhook.delivery'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_purchase_id",
                table: "outbox_entries",
                column: "purchase_id",
                unique: true,
                filter: "kind = 'argo.workflow.create'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_webhook_endpoint_id",
                table: "outbox_entries",
                column: "webhook_endpoint_id",
                filter: "webhook_endpoint_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbox_entries_kind",
                table: "outbox_entries",
                sql: "(kind = 'argo.workflow.create' AND workflow_name IS NOT NULL AND webhook_endpoint_id IS NULL) OR (kind = 'webhook.delivery' AND workflow_name IS NULL AND webhook_endpoint_id IS NOT NULL)");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoints_user_live",
                table: "webhook_endpoints",
                column: "user",
                filter: "deleted_at IS NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_outbox_entries_webhook_endpoints_webhook_endpoint_id",
                table: "outbox_entries",
                column: "webhook_endpoint_id",
                principalTable: "webhook_endpoints",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_outbox_entries_webhook_endpoints_webhook_endpoint_id",
                table: "outbox_entries");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "webhook_endpoints");

            migrationBuilder.DropIndex(
                name: "ix_outbox_entries_deliveries_purchase_id",
                table: "outbox_entries");

            migrationBuilder.DropIndex(
                name: "ix_outbox_entries_purchase_id",
                table: "outbox_entries");

            migrationBuilder.DropIndex(
                name: "ix_outbox_entries_webhook_endpoint_id",
                table: "outbox_entries");

            migrationBuilder.DropCheckConstraint(
                name: "ck_outbox_entries_kind",
                table: "outbox_entries");

            migrationBuilder.DropColumn(
                name: "webhook_endpoint_id",
                table: "outbox_entries");

            migrationBuilder.AlterColumn<string>(
                name: "workflow_name",
                table: "outbox_entries",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_purchase_id",
                table: "outbox_entries",
                column: "purchase_id",
                unique: true);
        }
    }
}
