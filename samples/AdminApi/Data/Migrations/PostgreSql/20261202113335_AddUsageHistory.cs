using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AddUsageHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "p2p_api_key_usage",
                columns: table => new
                {
                    KeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Granularity = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<long>(type: "bigint", nullable: false),
                    LineageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Allowed = table.Column<long>(type: "bigint", nullable: false),
                    RateLimited = table.Column<long>(type: "bigint", nullable: false),
                    QuotaExhausted = table.Column<long>(type: "bigint", nullable: false),
                    Forbidden = table.Column<long>(type: "bigint", nullable: false),
                    Refused = table.Column<long>(type: "bigint", nullable: false),
                    Clients = table.Column<long>(type: "bigint", nullable: false),
                    ClientSketch = table.Column<byte[]>(type: "bytea", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_api_key_usage", x => new { x.KeyId, x.Granularity, x.Start });
                });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_key_usage_Granularity_Start",
                table: "p2p_api_key_usage",
                columns: new[] { "Granularity", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_key_usage_LineageId_Granularity_Start",
                table: "p2p_api_key_usage",
                columns: new[] { "LineageId", "Granularity", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_key_usage_Owner_Granularity_Start",
                table: "p2p_api_key_usage",
                columns: new[] { "Owner", "Granularity", "Start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "p2p_api_key_usage");
        }
    }
}
