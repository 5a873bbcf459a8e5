using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KvmPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleTickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsoleTickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    DomainUuid = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RedeemedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsoleTickets", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsoleTickets_ExpiresAt",
                table: "ConsoleTickets",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ConsoleTickets_TokenHash",
                table: "ConsoleTickets",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsoleTickets");
        }
    }
}
