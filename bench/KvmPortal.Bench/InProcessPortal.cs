using System.Net;
using System.Net.Sockets;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KvmPortal.Bench;

/// <summary>
/// The real KvmPortal web app (Kestrel, the console proxy, tickets in PostgreSQL) in this process on a free
/// port and a throw-away database, so the benchmark can sign the administrator's cookie and issue tickets
/// without a browser. The proxy path is exactly the one browsers use.
/// </summary>
internal sealed class InProcessPortal : IAsyncDisposable
{
    private const string AdminUser = "admin";
    private readonly WebApplication _app;
    private readonly string _server;
    private readonly string _database;

    private InProcessPortal(WebApplication app, string baseUrl, string server, string database, string adminPassword)
    {
        _app = app;
        BaseUrl = baseUrl;
        AdminPassword = adminPassword;
        _server = server;
        _database = database;
    }

    public string BaseUrl { get; }

    public string AdminUserName => AdminUser;

    public string AdminPassword { get; }

    /// <summary>The app's own services (its inventory, its libvirt connections).</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="simulatedHosts">Host URIs added next to qemu:///system as default hosts.</param>
    /// <param name="settings">More configuration (e.g. log levels), over the defaults.</param>
    public static async Task<InProcessPortal> StartAsync(string serverConnectionString, IEnumerable<string>? simulatedHosts = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = "kvmportal_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE \"{database}\"");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var adminPassword = "Bench-" + Guid.NewGuid().ToString("N");
        var hosts = (simulatedHosts ?? []).Prepend("qemu:///system").Select((uri, i) => KeyValuePair.Create($"KvmPortal:DefaultHosts:{i}", (string?)uri));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "KvmPortal.Web", EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [KvmPortalBuilderExtensions.UrlsVariable] = baseUrl,
            ["ConnectionStrings:KvmPortal"] = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString,
            [KvmPortal.Web.Hosting.OptionsServiceCollectionExtensions.AdminPasswordVariable] = adminPassword,
            ["Consoles:MaxSessionsPerUser"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:KvmPortal.Web.Consoles"] = "Warning", // the console benchmark opens thousands of sessions
        }.Concat(hosts).Concat(settings ?? new Dictionary<string, string?>()));
        builder.AddKvmPortal();
        var app = builder.Build();
        app.UseKvmPortal();
        await app.StartAsync();
        return new InProcessPortal(app, baseUrl, serverConnectionString, database, adminPassword);
    }

    /// <summary>The administrator's authentication cookie, sealed the way a login would.</summary>
    public async Task<(string UserId, string Cookie)> AdministratorCookieAsync()
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var claims = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<KvmPortalUser>>();
        var user = await users.FindByNameAsync(AdminUser) ?? throw new InvalidOperationException("the administrator was not seeded");
        var principal = await claims.CreateAsync(user);
        var cookie = _app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        // Issued now, as a login stamps it: a cookie without IssuedUtc has its security stamp checked in the database on every request.
        var now = DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + cookie.ExpireTimeSpan };
        var value = cookie.TicketDataFormat.Protect(new AuthenticationTicket(principal, properties, IdentityConstants.ApplicationScheme));
        return (user.Id, $"{cookie.Cookie.Name}={value}");
    }

    /// <summary>A service scope acting as the signed-in administrator, as a circuit of theirs would (audited, checked operations).</summary>
    public async Task<AsyncServiceScope> AdministratorScopeAsync()
    {
        var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var user = await users.FindByNameAsync(AdminUser) ?? throw new InvalidOperationException("the administrator was not seeded");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<KvmPortalUser>>().CreateAsync(user);
        ((Microsoft.AspNetCore.Components.Authorization.IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider
            .GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(principal)));
        return scope;
    }

    /// <summary>Waits until the inventory shows <paramref name="vmName"/> running on qemu:///system.</summary>
    public async Task<VmKey> FindRunningVmAsync(string vmName)
    {
        var inventory = _app.Services.GetRequiredService<IInventory>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (inventory.Current.Vms.Values.FirstOrDefault(v => v.Name == vmName && v.State == VmState.Running) is { } vm)
                return new VmKey(vm.HostId, vm.Uuid);
            await Task.Delay(200, patience.Token);
        }
    }

    /// <summary>Where the VM's VNC server listens, as the proxy finds it; websockify gets the same target.</summary>
    public Task<VncEndpoint> LocateVncAsync(VmKey vm) => _app.Services.GetRequiredService<IConsoleLocator>().LocateVncAsync(vm);

    /// <summary>A ticket issued as the page does, through the gate, for the administrator (outside a circuit, so the actor is given).</summary>
    public async Task<string> IssueTicketAsync(string userId, VmKey vm)
    {
        var services = _app.Services;
        var gate = new KvmPortal.Web.Access.OperationGate(new SignedIn(new KvmPortal.Web.Access.Actor(userId, AdminUser, "127.0.0.1")),
            services.GetRequiredService<KvmPortal.Web.Access.IAccessPolicy>(), services.GetRequiredService<KvmPortal.Web.Audit.IAuditLog>(), TimeProvider.System);
        var tickets = new ConsoleTickets(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<KvmPortalDbContext>>(), TimeProvider.System,
            gate, services.GetRequiredService<ConsoleAccess>(), services.GetRequiredService<KvmPortal.Web.Access.AuditTargets>());
        return await tickets.IssueAsync(userId, new ConsoleTarget(vm.HostId, vm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full));
    }

    private sealed class SignedIn(KvmPortal.Web.Access.Actor actor) : KvmPortal.Web.Access.ICurrentActor
    {
        public Task<KvmPortal.Web.Access.Actor> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(actor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
