using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KvmPortal.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a database or the app's configuration.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<KvmPortalDbContext>
{
    public KvmPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql("Host=localhost").Options);
}
