using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Hosting;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "KvmPortal";
    public const string ConnectionStringVariable = "KVMPORTAL_DB";

    /// <summary>
    /// Registers the DbContext factory (and the scoped context the Identity stores need) and the start-up migration.
    /// The connection string is read when the first context is made, so a missing one stops the app at start.
    /// </summary>
    public static IServiceCollection AddKvmPortalData(this IServiceCollection services)
    {
        services.AddDbContextFactory<KvmPortalDbContext>((sp, options) =>
            options.UseNpgsql(GetConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } fromConfig ? fromConfig
        : configuration[ConnectionStringVariable] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : throw new InvalidOperationException(
            $"KvmPortal has no database connection string. Run deploy/run.sh, or set ConnectionStrings:{ConnectionStringName} " +
            $"in appsettings.json or the environment variable {ConnectionStringVariable} " +
            "(for example 'Host=127.0.0.1;Port=5432;Username=kvmportal;Password=...;Database=kvmportal').");
}
