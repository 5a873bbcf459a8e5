using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiTokenRecord>
{
    public void Configure(EntityTypeBuilder<ApiTokenRecord> builder)
    {
        builder.ToTable("ApiTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        builder.HasOne<KvmPortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Name).HasMaxLength(ApiTokenRecord.NameMaxLength).IsRequired();
        builder.Property(t => t.Prefix).HasMaxLength(Api.Tokens.ApiTokenFormat.PrefixLength).IsRequired();
        builder.HasIndex(t => t.Prefix).IsUnique();
        builder.Property(t => t.SecretHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.UserId);
    }
}
