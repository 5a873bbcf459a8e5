using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KvmPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Jobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Jobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    OwnerName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: true),
                    HostName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Subject = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Cancellable = table.Column<bool>(type: "boolean", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DoneBytes = table.Column<long>(type: "bigint", nullable: true),
                    TotalBytes = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    ResultLink = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Instance = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Jobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_OwnerId_StartedAt",
                table: "Jobs",
                columns: new[] { "OwnerId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_StartedAt",
                table: "Jobs",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_State_Instance",
                table: "Jobs",
                columns: new[] { "State", "Instance" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Jobs");
        }
    }
}
