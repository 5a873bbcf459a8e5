using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class ConsoleSessionConfiguration : IEntityTypeConfiguration<ConsoleSessionRecord>
{
    public void Configure(EntityTypeBuilder<ConsoleSessionRecord> builder)
    {
        builder.ToTable("ConsoleSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.UserId).HasMaxLength(450).IsRequired();
        builder.Property(s => s.UserName).HasMaxLength(256).IsRequired();
        builder.Property(s => s.VmName).HasMaxLength(256).IsRequired();
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.EndReason).HasMaxLength(256);
        builder.HasIndex(s => s.StartedAt);
        builder.HasIndex(s => s.UserId);
    }
}
