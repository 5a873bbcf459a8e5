using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class TeamRecordConfiguration : IEntityTypeConfiguration<TeamRecord>
{
    public void Configure(EntityTypeBuilder<TeamRecord> builder)
    {
        builder.ToTable("Teams");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(TeamRecord.NameMaxLength).IsRequired();
        builder.HasIndex(t => t.Name).IsUnique();
    }
}
