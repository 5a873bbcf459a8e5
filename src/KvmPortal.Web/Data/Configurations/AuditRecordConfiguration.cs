using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public const string TableName = "AuditLog";

    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Time).HasColumnType("timestamp with time zone");
        builder.Property(a => a.ActorId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(a => a.SourceIp).HasMaxLength(64);
        builder.Property(a => a.Action).HasMaxLength(64).IsRequired();
        builder.Property(a => a.HostName).HasMaxLength(256);
        builder.Property(a => a.VmName).HasMaxLength(256);
        builder.Property(a => a.Pool).HasMaxLength(256);
        builder.Property(a => a.Volume).HasMaxLength(512);
        builder.Property(a => a.Network).HasMaxLength(256);
        builder.Property(a => a.OtherTarget).HasMaxLength(512);
        builder.Property(a => a.Parameters).HasColumnType("jsonb");

        builder.HasIndex(a => a.Time).IsDescending();
        builder.HasIndex(a => new { a.ActorName, a.Time }).IsDescending(false, true);
        builder.HasIndex(a => new { a.VmUuid, a.Time }).IsDescending(false, true);
        builder.HasIndex(a => new { a.Action, a.Time }).IsDescending(false, true);
    }
}
