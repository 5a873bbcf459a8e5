using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class HostRecordConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> builder)
    {
        builder.ToTable("Hosts");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Name).HasMaxLength(HostRecord.NameMaxLength).IsRequired();
        builder.Property(h => h.Uri).HasMaxLength(HostRecord.UriMaxLength).IsRequired();
        builder.HasIndex(h => h.Name).IsUnique();
        builder.HasIndex(h => h.Uri).IsUnique();
    }
}
