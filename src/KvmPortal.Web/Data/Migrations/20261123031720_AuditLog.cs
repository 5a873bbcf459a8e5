using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KvmPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    Time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: true),
                    HostName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    VmUuid = table.Column<Guid>(type: "uuid", nullable: true),
                    VmName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Pool = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Volume = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Network = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    OtherTarget = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Parameters = table.Column<string>(type: "jsonb", nullable: true),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true),
                    XmlBefore = table.Column<string>(type: "text", nullable: true),
                    XmlAfter = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_Action_Time",
                table: "AuditLog",
                columns: new[] { "Action", "Time" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_ActorName_Time",
                table: "AuditLog",
                columns: new[] { "ActorName", "Time" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_Time",
                table: "AuditLog",
                column: "Time",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_VmUuid_Time",
                table: "AuditLog",
                columns: new[] { "VmUuid", "Time" },
                descending: new[] { false, true });

            // Append-only in the database itself, not only by the app's good manners: see AuditLogAppendOnly.
            // Keep this call when migrations are regenerated.
            migrationBuilder.Sql(AuditLogAppendOnly.Install);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AuditLogAppendOnly.Uninstall);
            migrationBuilder.DropTable(
                name: "AuditLog");
        }
    }
}
