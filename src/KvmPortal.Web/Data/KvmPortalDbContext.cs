using KvmPortal.Web.Data.Usage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Data;

public sealed class KvmPortalDbContext(DbContextOptions<KvmPortalDbContext> options)
    : IdentityDbContext<KvmPortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<ConsoleTicketRecord> ConsoleTickets => Set<ConsoleTicketRecord>();

    public DbSet<ConsoleSessionRecord> ConsoleSessions => Set<ConsoleSessionRecord>();

    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    public DbSet<TeamRecord> Teams => Set<TeamRecord>();

    public DbSet<RoleGrantRecord> RoleGrants => Set<RoleGrantRecord>();

    public DbSet<VmOwnershipRecord> VmOwnership => Set<VmOwnershipRecord>();

    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();

    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<VmSampleRecord> VmSamples => Set<VmSampleRecord>();

    public DbSet<HostSampleRecord> HostSamples => Set<HostSampleRecord>();

    public DbSet<VmUsage5mRecord> VmUsage5m => Set<VmUsage5mRecord>();

    public DbSet<VmUsage1hRecord> VmUsage1h => Set<VmUsage1hRecord>();

    public DbSet<HostUsage5mRecord> HostUsage5m => Set<HostUsage5mRecord>();

    public DbSet<HostUsage1hRecord> HostUsage1h => Set<HostUsage1hRecord>();

    public DbSet<UsageVmRecord> UsageVms => Set<UsageVmRecord>();

    /// <summary>The Data Protection key ring, shared by every instance (see AddKvmPortalDataProtection).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KvmPortalDbContext).Assembly);
    }
}
