using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "purchases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user = table.Column<string>(type: "text", nullable: false),
                    retailer_id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    strategy_output = table.Column<string>(type: "jsonb", nullable: true),
                    rows_uploaded = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_purchases", x => x.id);
                    table.CheckConstraint("ck_purchases_status", "status IN ('failed', 'pending', 'in_progress', 'completed')");
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.id);
                    table.CheckConstraint("ck_api_tokens_role", "role IN ('customer', 'worker', 'operator')");
                    table.ForeignKey(
                        name: "fk_api_tokens_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "outbox_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    purchase_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, defaultValue: "argo.workflow.create"),
                    payload_version = table.Column<short>(type: "smallint", nullable: false, defaultValue: (short)1),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    workflow_name = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false, defaultValue: "pending"),
                    attempts = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    next_attempt_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    locked_until = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    locked_by = table.Column<string>(type: "text", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_status = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    submitted_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    argo_uid = table.Column<string>(type: "text", nullable: true),
                    replay_count = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_replayed_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    last_replayed_by = table.Column<string>(type: "text", nullable: true),
                    trace_parent = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_entries", x => x.id);
                    table.CheckConstraint("ck_outbox_entries_state", "state IN ('pending', 'submitted', 'failed')");
                    table.ForeignKey(
                        name: "fk_outbox_entries_purchases_purchase_id",
                        column: x => x.purchase_id,
                        principalTable: "purchases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "purchase_rows",
                columns: table => new
                {
                    purchase_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    local_time = table.Column<LocalDateTime>(type: "timestamp without time zone", nullable: false),
                    instant = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    mw = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_purchase_rows", x => new { x.purchase_id, x.position });
                    table.ForeignKey(
                        name: "fk_purchase_rows_purchases_purchase_id",
                        column: x => x.purchase_id,
                        principalTable: "purchases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_customer_id",
                table: "api_tokens",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_token_hash",
                table: "api_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_customers_user",
                table: "customers",
                column: "user",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_due",
                table: "outbox_entries",
                columns: new[] { "next_attempt_at", "id" },
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_failed",
                table: "outbox_entries",
                column: "created_at",
                filter: "state = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_purchase_id",
                table: "outbox_entries",
                column: "purchase_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_state",
                table: "outbox_entries",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_submitted",
                table: "outbox_entries",
                column: "submitted_at",
                filter: "state = 'submitted'");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_entries_workflow_name",
                table: "outbox_entries",
                column: "workflow_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_purchases_user",
                table: "purchases",
                column: "user");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "outbox_entries");

            migrationBuilder.DropTable(
                name: "purchase_rows");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropTable(
                name: "purchases");
        }
    }
}
