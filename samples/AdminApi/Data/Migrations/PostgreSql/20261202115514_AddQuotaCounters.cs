using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AddQuotaCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "p2p_api_key_quota_counts",
                columns: table => new
                {
                    LineageId = table.Column<Guid>(type: "uuid", nullable: false),
                    PeriodStart = table.Column<long>(type: "bigint", nullable: false),
                    PeriodEnd = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_api_key_quota_counts", x => x.LineageId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_key_quota_counts_PeriodEnd",
                table: "p2p_api_key_quota_counts",
                column: "PeriodEnd");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "p2p_api_key_quota_counts");
        }
    }
}
