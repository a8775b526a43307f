using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdminApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddManagerAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "KeyId",
                table: "p2p_admin_audit",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "p2p_admin_audit",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            // Entries written before the manager kept the key: their target starts with the key's id.
            migrationBuilder.Sql("""
                UPDATE p2p_admin_audit SET
                    "KeyId" = (SELECT k."Id" FROM p2p_api_keys k WHERE k."Id" = upper(substr(p2p_admin_audit."Target", 1, 36))),
                    "Owner" = (SELECT k."Owner" FROM p2p_api_keys k WHERE k."Id" = upper(substr(p2p_admin_audit."Target", 1, 36)))
                WHERE "KeyId" IS NULL AND "Action" LIKE 'key.%';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_audit_Action_OccurredAt_Id",
                table: "p2p_admin_audit",
                columns: new[] { "Action", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_audit_Actor_OccurredAt_Id",
                table: "p2p_admin_audit",
                columns: new[] { "Actor", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_audit_KeyId_OccurredAt_Id",
                table: "p2p_admin_audit",
                columns: new[] { "KeyId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_p2p_admin_audit_Owner_OccurredAt_Id",
                table: "p2p_admin_audit",
                columns: new[] { "Owner", "OccurredAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_p2p_admin_audit_Action_OccurredAt_Id",
                table: "p2p_admin_audit");

            migrationBuilder.DropIndex(
                name: "IX_p2p_admin_audit_Actor_OccurredAt_Id",
                table: "p2p_admin_audit");

            migrationBuilder.DropIndex(
                name: "IX_p2p_admin_audit_KeyId_OccurredAt_Id",
                table: "p2p_admin_audit");

            migrationBuilder.DropIndex(
                name: "IX_p2p_admin_audit_Owner_OccurredAt_Id",
                table: "p2p_admin_audit");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "p2p_admin_audit");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "p2p_admin_audit");
        }
    }
}
