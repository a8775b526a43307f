using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddKeyLineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "LineageId",
                table: "p2p_api_keys",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Existing keys: a key that replaces no other starts its own lineage; each replacement a rotation made
            // inherits the lineage of the key it replaced, along the whole chain.
            migrationBuilder.Sql("""
                WITH RECURSIVE chain(id, root) AS (
                    SELECT k."Id", k."Id" FROM p2p_api_keys k
                    WHERE NOT EXISTS (SELECT 1 FROM p2p_api_keys o WHERE o."ReplacedByKeyId" = k."Id")
                    UNION ALL
                    SELECT k."ReplacedByKeyId", chain.root FROM p2p_api_keys k JOIN chain ON k."Id" = chain.id
                    WHERE k."ReplacedByKeyId" IS NOT NULL
                )
                UPDATE p2p_api_keys SET "LineageId" = (SELECT chain.root FROM chain WHERE chain.id = p2p_api_keys."Id") WHERE "Id" IN (SELECT id FROM chain);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_keys_LineageId",
                table: "p2p_api_keys",
                column: "LineageId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_p2p_api_keys_LineageId",
                table: "p2p_api_keys");

            migrationBuilder.DropColumn(
                name: "LineageId",
                table: "p2p_api_keys");
        }
    }
}
