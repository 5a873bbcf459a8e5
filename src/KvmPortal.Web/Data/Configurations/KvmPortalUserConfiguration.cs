using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

/// <summary>What KvmPortal adds to Identity's user table (Identity configures the rest).</summary>
internal sealed class KvmPortalUserConfiguration : IEntityTypeConfiguration<KvmPortalUser>
{
    public void Configure(EntityTypeBuilder<KvmPortalUser> user) =>
        user.Property(u => u.PreferredLanguage).HasMaxLength(KvmPortalUser.PreferredLanguageMaxLength);
}
