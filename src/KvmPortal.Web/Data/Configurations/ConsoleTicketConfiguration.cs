using KvmPortal.Web.Consoles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KvmPortal.Web.Data.Configurations;

internal sealed class ConsoleTicketConfiguration : IEntityTypeConfiguration<ConsoleTicketRecord>
{
    public void Configure(EntityTypeBuilder<ConsoleTicketRecord> builder)
    {
        builder.ToTable("ConsoleTickets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Mode).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(t => t.ExpiresAt);
    }
}
