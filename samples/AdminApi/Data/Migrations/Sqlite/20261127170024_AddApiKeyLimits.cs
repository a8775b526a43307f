using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddApiKeyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Quota",
                table: "p2p_api_keys",
                type: "TEXT",
                unicode: false,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RateLimit",
                table: "p2p_api_keys",
                type: "TEXT",
                unicode: false,
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Quota",
                table: "p2p_api_keys");

            migrationBuilder.DropColumn(
                name: "RateLimit",
                table: "p2p_api_keys");
        }
    }
}
