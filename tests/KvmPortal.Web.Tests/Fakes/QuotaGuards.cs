using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using KvmPortal.Web.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmPortal.Web.Tests.Fakes;

public static class QuotaGuards
{
    /// <summary>A guard with no database behind it, for tests of operations that no quota concerns (it fails if asked).</summary>
    public static QuotaGuard WithoutDatabase(IInventory inventory)
    {
        var contexts = new PooledDbContextFactory<KvmPortalDbContext>(
            new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql("Host=unused.invalid").Options);
        var ownership = new VmOwnershipIndex(contexts);
        return new QuotaGuard(new QuotaUsageReader(contexts, inventory, ownership, new FakeStorage(), NullLogger<QuotaUsageReader>.Instance), inventory, ownership);
    }
}
