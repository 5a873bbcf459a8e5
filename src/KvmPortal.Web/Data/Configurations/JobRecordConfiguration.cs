using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class JobRecordConfiguration : IEntityTypeConfiguration<JobRecord>
{
    public void Configure(EntityTypeBuilder<JobRecord> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.OwnerId).HasMaxLength(450).IsRequired();
        builder.Property(j => j.OwnerName).HasMaxLength(256).IsRequired();
        builder.Property(j => j.Kind).HasMaxLength(64).IsRequired();
        builder.Property(j => j.HostName).HasMaxLength(256);
        builder.Property(j => j.Subject).HasMaxLength(1024).IsRequired();
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Error).HasMaxLength(4096);
        builder.Property(j => j.ResultLink).HasMaxLength(1024);
        builder.Property(j => j.Instance).HasMaxLength(256).IsRequired();
        builder.HasIndex(j => new { j.OwnerId, j.StartedAt });
        builder.HasIndex(j => j.StartedAt);
        builder.HasIndex(j => new { j.State, j.Instance });
    }
}
