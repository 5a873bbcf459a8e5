using KvmPortal.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace KvmPortal.Web.Hosting;

public static class KvmPortalDataProtectionServiceCollectionExtensions
{
    /// <summary>
    /// The name every instance protects its cookies and antiforgery tokens under. Data Protection isolates
    /// applications by this name (by default the content root path), so it is fixed: instances installed in
    /// different folders, or a new release, still read each other's cookies.
    /// </summary>
    public const string ApplicationName = "KvmPortal";

    /// <summary>
    /// Data Protection keys live in PostgreSQL (table DataProtectionKeys) instead of the user profile, so sign-ins
    /// survive a restart, a new container, and are shared by every instance on the same database.
    /// </summary>
    public static IServiceCollection AddKvmPortalDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<KvmPortalDbContext>();
        return services;
    }
}
