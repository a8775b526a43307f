using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialApiKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "p2p_admin_audit",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Target = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_admin_audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "p2p_admin_bootstrap",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_admin_bootstrap", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "p2p_admin_users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedLoginCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutEndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_admin_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "p2p_api_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LookupId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 3232, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReplacedByKeyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_p2p_api_keys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_audit_OccurredAt",
                table: "p2p_admin_audit",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_users_CreatedAt",
                table: "p2p_admin_users",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_users_NormalizedUserName",
                table: "p2p_admin_users",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_keys_CreatedAt",
                table: "p2p_api_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_p2p_api_keys_LookupId",
                table: "p2p_api_keys",
                column: "LookupId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "p2p_admin_audit");

            migrationBuilder.DropTable(
                name: "p2p_admin_bootstrap");

            migrationBuilder.DropTable(
                name: "p2p_admin_users");

            migrationBuilder.DropTable(
                name: "p2p_api_keys");
        }
    }
}
