using KvmPortal.Web.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class RoleGrantRecordConfiguration : IEntityTypeConfiguration<RoleGrantRecord>
{
    public void Configure(EntityTypeBuilder<RoleGrantRecord> builder)
    {
        builder.ToTable("RoleGrants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.UserId).HasMaxLength(450).IsRequired();
        builder.Property(g => g.Role).HasConversion<string>().HasMaxLength(32);
        builder.Property(g => g.Source).HasConversion<string>().HasMaxLength(32);
        builder.HasOne<KvmPortalUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TeamRecord>().WithMany().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.Cascade);
        // A grant given by hand and the same one mapped from the identity provider live side by side: the re-sync at
        // the next sign-in removes only the latter.
        builder.HasIndex(g => new { g.UserId, g.Role, g.TeamId, g.Source }).IsUnique().AreNullsDistinct(false);
    }
}
