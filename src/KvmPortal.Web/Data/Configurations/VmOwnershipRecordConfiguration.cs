using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class VmOwnershipRecordConfiguration : IEntityTypeConfiguration<VmOwnershipRecord>
{
    public void Configure(EntityTypeBuilder<VmOwnershipRecord> builder)
    {
        builder.ToTable("VmOwnership");
        builder.HasKey(o => new { o.HostId, o.VmUuid });
        builder.HasOne<HostRecord>().WithMany().HasForeignKey(o => o.HostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TeamRecord>().WithMany().HasForeignKey(o => o.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(o => o.TeamId);
    }
}
