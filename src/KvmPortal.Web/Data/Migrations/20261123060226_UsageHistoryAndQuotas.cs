using System;
using KvmPortal.Web.Data.Usage;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KvmPortal.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageHistoryAndQuotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MaxDiskGib",
                table: "Teams",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MaxMemoryMib",
                table: "Teams",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxVcpus",
                table: "Teams",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxVms",
                table: "Teams",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "QuotaCountsRunningOnly",
                table: "Teams",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "HostSamples",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    SampledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IntervalSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Cpus = table.Column<int>(type: "integer", nullable: false),
                    CpuBusyNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuTotalNs = table.Column<long>(type: "bigint", nullable: false),
                    MemoryTotalKib = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKib = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HostSamples", x => new { x.HostId, x.SampledAt });
                });

            migrationBuilder.CreateTable(
                name: "HostUsage1h",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    CpuBusyNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuTotalNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentPeak = table.Column<double>(type: "double precision", nullable: false),
                    MemoryTotalKib = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedKibPeak = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HostUsage1h", x => new { x.HostId, x.BucketStart });
                });

            migrationBuilder.CreateTable(
                name: "HostUsage5m",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    CpuBusyNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuTotalNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentPeak = table.Column<double>(type: "double precision", nullable: false),
                    MemoryTotalKib = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedKibPeak = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HostUsage5m", x => new { x.HostId, x.BucketStart });
                });

            migrationBuilder.CreateTable(
                name: "UsageVms",
                columns: table => new
                {
                    VmUuid = table.Column<Guid>(type: "uuid", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageVms", x => x.VmUuid);
                });

            migrationBuilder.CreateTable(
                name: "VmSamples",
                columns: table => new
                {
                    VmUuid = table.Column<Guid>(type: "uuid", nullable: false),
                    SampledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    IntervalSeconds = table.Column<double>(type: "double precision", nullable: false),
                    CpuTimeNs = table.Column<long>(type: "bigint", nullable: false),
                    Vcpus = table.Column<int>(type: "integer", nullable: false),
                    MemoryKib = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKib = table.Column<long>(type: "bigint", nullable: true),
                    DiskReadBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskReadRequests = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteRequests = table.Column<long>(type: "bigint", nullable: false),
                    NetRxBytes = table.Column<long>(type: "bigint", nullable: false),
                    NetTxBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskCapacityBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskAllocationBytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VmSamples", x => new { x.VmUuid, x.SampledAt });
                });

            migrationBuilder.CreateTable(
                name: "VmUsage1h",
                columns: table => new
                {
                    VmUuid = table.Column<Guid>(type: "uuid", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    CpuTimeNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentPeak = table.Column<double>(type: "double precision", nullable: false),
                    VcpuSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryKibPeak = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedKibPeak = table.Column<long>(type: "bigint", nullable: true),
                    DiskReadBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskReadRequests = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteRequests = table.Column<long>(type: "bigint", nullable: false),
                    NetRxBytes = table.Column<long>(type: "bigint", nullable: false),
                    NetTxBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskCapacityBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskAllocationBytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VmUsage1h", x => new { x.VmUuid, x.BucketStart });
                });

            migrationBuilder.CreateTable(
                name: "VmUsage5m",
                columns: table => new
                {
                    VmUuid = table.Column<Guid>(type: "uuid", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    CpuTimeNs = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentPeak = table.Column<double>(type: "double precision", nullable: false),
                    VcpuSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryKibPeak = table.Column<long>(type: "bigint", nullable: false),
                    MemoryUsedKibSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MemoryUsedKibPeak = table.Column<long>(type: "bigint", nullable: true),
                    DiskReadBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskReadRequests = table.Column<long>(type: "bigint", nullable: false),
                    DiskWriteRequests = table.Column<long>(type: "bigint", nullable: false),
                    NetRxBytes = table.Column<long>(type: "bigint", nullable: false),
                    NetTxBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskCapacityBytes = table.Column<long>(type: "bigint", nullable: false),
                    DiskAllocationBytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VmUsage5m", x => new { x.VmUuid, x.BucketStart });
                });

            migrationBuilder.CreateIndex(
                name: "IX_HostUsage1h_BucketStart",
                table: "HostUsage1h",
                column: "BucketStart")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "IX_HostUsage5m_BucketStart",
                table: "HostUsage5m",
                column: "BucketStart")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "IX_UsageVms_TeamId",
                table: "UsageVms",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_VmUsage1h_BucketStart",
                table: "VmUsage1h",
                column: "BucketStart")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "IX_VmUsage1h_TeamId_BucketStart",
                table: "VmUsage1h",
                columns: new[] { "TeamId", "BucketStart" });

            migrationBuilder.CreateIndex(
                name: "IX_VmUsage5m_BucketStart",
                table: "VmUsage5m",
                column: "BucketStart")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "IX_VmUsage5m_TeamId_BucketStart",
                table: "VmUsage5m",
                columns: new[] { "TeamId", "BucketStart" });

            migrationBuilder.Sql(UsagePartitioning.PartitionRawTables);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HostSamples");

            migrationBuilder.DropTable(
                name: "HostUsage1h");

            migrationBuilder.DropTable(
                name: "HostUsage5m");

            migrationBuilder.DropTable(
                name: "UsageVms");

            migrationBuilder.DropTable(
                name: "VmSamples");

            migrationBuilder.DropTable(
                name: "VmUsage1h");

            migrationBuilder.DropTable(
                name: "VmUsage5m");

            migrationBuilder.DropColumn(
                name: "MaxDiskGib",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "MaxMemoryMib",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "MaxVcpus",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "MaxVms",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "QuotaCountsRunningOnly",
                table: "Teams");
        }
    }
}
