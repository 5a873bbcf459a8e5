using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KvmPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IdentityProviderGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RoleGrants_UserId_Role_TeamId",
                table: "RoleGrants");

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "RoleGrants",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Manual"); // every grant so far was given by hand (or by the start-up bootstrap)

            migrationBuilder.CreateIndex(
                name: "IX_RoleGrants_UserId_Role_TeamId_Source",
                table: "RoleGrants",
                columns: new[] { "UserId", "Role", "TeamId", "Source" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The old index allows one grant per role and team: drop the identity provider's copies first.
            migrationBuilder.Sql("DELETE FROM \"RoleGrants\" WHERE \"Source\" = 'IdentityProvider';");

            migrationBuilder.DropIndex(
                name: "IX_RoleGrants_UserId_Role_TeamId_Source",
                table: "RoleGrants");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "RoleGrants");

            migrationBuilder.CreateIndex(
                name: "IX_RoleGrants_UserId_Role_TeamId",
                table: "RoleGrants",
                columns: new[] { "UserId", "Role", "TeamId" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }
    }
}
