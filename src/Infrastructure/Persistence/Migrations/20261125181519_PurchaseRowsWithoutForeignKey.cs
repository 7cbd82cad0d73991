using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Purchases.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PurchaseRowsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_purchase_rows_purchases_purchase_id",
                table: "purchase_rows");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_purchase_rows_purchases_purchase_id",
                table: "purchase_rows",
                column: "purchase_id",
                principalTable: "purchases",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
