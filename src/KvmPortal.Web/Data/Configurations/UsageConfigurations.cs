using KvmPortal.Web.Data.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

// Layout for time-range queries (issue 8):
// - Raw samples (VmSamples, HostSamples) are the big tables (1,000 VMs every 10 s is 8.6 M rows a day) and only
//   live for days: they are range-partitioned by day on SampledAt (created by UsagePartitioning's SQL in the
//   migration, maintained by UsagePartitions), so retention drops a whole partition instead of deleting millions
//   of rows and leaving the table to vacuum. The primary key (VM, time) serves one VM's last-hour chart.
// - Rollups (5 min, 1 h) are small enough for plain tables. The primary key (VM, bucket) serves one VM's chart;
//   (team, bucket) serves team reports; a BRIN index on the bucket serves retention deletes and all-VM ranges, as
//   rows arrive in time order and BRIN stays a few pages where a B-tree would be as large as the table.

internal sealed class VmSampleConfiguration : IEntityTypeConfiguration<VmSampleRecord>
{
    public void Configure(EntityTypeBuilder<VmSampleRecord> builder)
    {
        builder.ToTable("VmSamples");
        builder.HasKey(s => new { s.VmUuid, s.SampledAt });
    }
}

internal sealed class HostSampleConfiguration : IEntityTypeConfiguration<HostSampleRecord>
{
    public void Configure(EntityTypeBuilder<HostSampleRecord> builder)
    {
        builder.ToTable("HostSamples");
        builder.HasKey(s => new { s.HostId, s.SampledAt });
    }
}

internal sealed class VmUsage5mConfiguration : IEntityTypeConfiguration<VmUsage5mRecord>
{
    public void Configure(EntityTypeBuilder<VmUsage5mRecord> builder) => UsageRollups.ConfigureVm(builder, "VmUsage5m");
}

internal sealed class VmUsage1hConfiguration : IEntityTypeConfiguration<VmUsage1hRecord>
{
    public void Configure(EntityTypeBuilder<VmUsage1hRecord> builder) => UsageRollups.ConfigureVm(builder, "VmUsage1h");
}

internal sealed class HostUsage5mConfiguration : IEntityTypeConfiguration<HostUsage5mRecord>
{
    public void Configure(EntityTypeBuilder<HostUsage5mRecord> builder) => UsageRollups.ConfigureHost(builder, "HostUsage5m");
}

internal sealed class HostUsage1hConfiguration : IEntityTypeConfiguration<HostUsage1hRecord>
{
    public void Configure(EntityTypeBuilder<HostUsage1hRecord> builder) => UsageRollups.ConfigureHost(builder, "HostUsage1h");
}

internal sealed class UsageVmConfiguration : IEntityTypeConfiguration<UsageVmRecord>
{
    public void Configure(EntityTypeBuilder<UsageVmRecord> builder)
    {
        builder.ToTable("UsageVms");
        builder.HasKey(v => v.VmUuid);
        builder.Property(v => v.Name).HasMaxLength(UsageVmRecord.NameMaxLength).IsRequired();
        builder.HasIndex(v => v.TeamId);
    }
}

internal static class UsageRollups
{
    public static void ConfigureVm<T>(EntityTypeBuilder<T> builder, string table) where T : VmUsageRollupRecord
    {
        builder.ToTable(table);
        builder.HasKey(r => new { r.VmUuid, r.BucketStart });
        builder.HasIndex(r => new { r.TeamId, r.BucketStart });
        builder.HasIndex(r => r.BucketStart).HasMethod("brin");
    }

    public static void ConfigureHost<T>(EntityTypeBuilder<T> builder, string table) where T : HostUsageRollupRecord
    {
        builder.ToTable(table);
        builder.HasKey(r => new { r.HostId, r.BucketStart });
        builder.HasIndex(r => r.BucketStart).HasMethod("brin");
    }
}
