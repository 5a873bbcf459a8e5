using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>
/// The real web host on a fresh PostgreSQL database of its own (created here, dropped at the end), with the hypervisor
/// layer replaced by fakes: these tests are about hosting, auth and data, not libvirt.
/// </summary>
public class KvmPortalAppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "Test-Admin-Passw0rd!";
    private const string ServerVariable = "KVMPORTAL_TEST_DB";

    private readonly string serverConnectionString;
    private readonly string databaseName = "kvmportal_test_" + Guid.NewGuid().ToString("N");
    private readonly bool ownsDatabase = true;
    private Action<IWebHostBuilder>? extraConfiguration;

    public KvmPortalAppFixture()
    {
        serverConnectionString = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. These tests need a real PostgreSQL server: deploy/test.sh sets it, or set it " +
                "yourself, e.g. Host=127.0.0.1;Port=55499;Username=postgres;Password=...;Database=postgres");
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = databaseName }.ConnectionString;
    }

    /// <summary>A second instance on this one's database, as another server or this one after a restart would be.</summary>
    private KvmPortalAppFixture(KvmPortalAppFixture first)
    {
        serverConnectionString = first.serverConnectionString;
        databaseName = first.databaseName;
        ConnectionString = first.ConnectionString;
        ownsDatabase = false;
    }

    public string ConnectionString { get; }

    /// <summary>What the app is given to connect with: the database itself, unless a fixture puts something between.</summary>
    protected virtual string AppConnectionString => ConnectionString;

    /// <summary>Starts another app instance on the same database; dispose it before this fixture.</summary>
    public async Task<KvmPortalAppFixture> StartInstanceOnSameDatabaseAsync()
    {
        var second = new KvmPortalAppFixture(this);
        await ((IAsyncLifetime)second).InitializeAsync();
        return second;
    }

    /// <summary>An app of its own on a fresh database, configured further by <paramref name="configure"/>; dispose it as IAsyncLifetime.</summary>
    public static async Task<KvmPortalAppFixture> StartNewAsync(Action<IWebHostBuilder> configure)
    {
        var app = new KvmPortalAppFixture { extraConfiguration = configure };
        await app.InitializeAsync();
        return app;
    }

    public FakeInventory Inventory { get; } = new();

    public RecordingHostManager HostManager { get; } = new();

    public RecordingVmOperations VmOperations { get; } = new();

    public FakeStorage Storage { get; } = new();

    public FakeOwnerTags OwnerTags { get; } = new();

    public async Task InitializeAsync()
    {
        if (ownsDatabase)
            await CreateDatabaseAsync();
        _ = Server; // starts the host: migrations, the administrator and the default hosts happen here
    }

    private async Task CreateDatabaseAsync()
    {
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:KvmPortal", AppConnectionString);
        builder.UseSetting("KvmPortal:AdminPassword", AdminPassword);
        builder.UseSetting("KvmPortal:DefaultHosts:0", "qemu:///system");
        // Every test client shares one (unknown) address, and tests sign in far more often than a person does.
        builder.UseSetting("RateLimits:SignInPerMinute", "1000");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>();
            services.RemoveAll<IInventory>();
            services.RemoveAll<IHostManager>();
            services.RemoveAll<IVmOperations>();
            services.AddSingleton<IInventory>(Inventory);
            services.AddSingleton<IHostManager>(HostManager);
            services.AddSingleton<IVmOperations>(VmOperations);
            services.RemoveAll<KvmPortal.Hypervisor.Storage.IStorageOperations>();
            // The storage fake stands behind the real gate, as the hypervisor's class does in the app.
            services.AddScoped<KvmPortal.Hypervisor.Storage.IStorageOperations>(sp =>
                ActivatorUtilities.CreateInstance<KvmPortal.Web.Access.Gated.GatedStorageOperations>(sp, (KvmPortal.Hypervisor.Storage.IStorageOperations)Storage));
            // What quotas count disks with: the same fake, ungated.
            services.RemoveAllKeyed<KvmPortal.Hypervisor.Storage.IStorageOperations>(KvmPortal.Web.Access.ServiceKeys.Ungated);
            services.AddKeyedSingleton<KvmPortal.Hypervisor.Storage.IStorageOperations>(KvmPortal.Web.Access.ServiceKeys.Ungated, Storage);
            services.RemoveAll<KvmPortal.Hypervisor.Vms.Ownership.IVmOwnerTags>();
            services.AddSingleton<KvmPortal.Hypervisor.Vms.Ownership.IVmOwnerTags>(OwnerTags);
            ConfigureTestDoubles(services);
        });
        extraConfiguration?.Invoke(builder);
    }

    /// <summary>For fixtures that need more of the service layer replaced (or gated) than this one.</summary>
    protected virtual void ConfigureTestDoubles(IServiceCollection services)
    {
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (!ownsDatabase)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
