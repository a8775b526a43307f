using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class KeyMetadataAndEnabled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Enabled",
                table: "p2p_api_keys",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "Metadata",
                table: "p2p_api_keys",
                type: "text",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_keys_Owner_CreatedAt",
                table: "p2p_api_keys",
                columns: new[] { "Owner", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_p2p_api_keys_Owner_CreatedAt",
                table: "p2p_api_keys");

            migrationBuilder.DropColumn(
                name: "Enabled",
                table: "p2p_api_keys");

            migrationBuilder.DropColumn(
                name: "Metadata",
                table: "p2p_api_keys");
        }
    }
}
