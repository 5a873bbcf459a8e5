using Bunit;
using Bunit.TestDoubles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Vms.OsVariants;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Hypervisor.Vms.Ownership;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace KvmPortal.Web.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor, the real string resources and the fake hypervisor. Not a BunitContext base class:
/// MudBlazor's services are only IAsyncDisposable and xunit 2 disposes test classes synchronously.
/// </summary>
public abstract class BunitHarness : IAsyncLifetime
{
    // Live updates arrive through the thread pool; on a loaded CI machine bUnit's 1 s default was seen to expire
    // before a pushed change was rendered. A bound, not a speed assertion: passing waits return at once.
    static BunitHarness() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    protected BunitHarness()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddKvmPortalLocalization();
        Context.Services.AddSingleton<IInventory>(Inventory);
        Context.Services.AddSingleton<IVmOperations>(Operations);
        Context.Services.AddSingleton<IHostManager>(HostManager);
        Context.Services.AddSingleton<KvmPortal.Hypervisor.Networks.INetworkOperations>(Networks);
        Context.Services.AddSingleton<IVmProvisioning>(Provisioning);
        Context.Services.AddSingleton<IVmEditing>(Editing);
        Context.Services.AddSingleton<IStorageQueries>(Storage);
        Context.Services.AddSingleton<KvmPortal.Hypervisor.Snapshots.ISnapshotOperations>(Snapshots);
        Context.Services.AddSingleton(new OsInfoCatalog(Path.Combine(Path.GetTempPath(), "kvmportal-no-osinfo")));
        Context.Services.AddSingleton(TimeProvider.System);
        // The host directory is constructed for the hosts page but these tests never reach the database.
        Context.Services.AddDbContextFactory<KvmPortalDbContext>(o => o.UseNpgsql("Host=unused.invalid"));
        Context.Services.AddSingleton<KvmPortal.Web.Hosts.Credentials.HostCredentialValidator>();
        Context.Services.AddSingleton(new KvmPortal.Web.Hosts.Credentials.HostCredentialProtector(
            new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        Context.Services.AddSingleton<HostDirectory>();
        Context.Services.AddSingleton<IHostDirectory>(sp => sp.GetRequiredService<HostDirectory>());
        Context.Services.AddSingleton<IAccessViewSource>(Permissions);
        // What the VM page's owner field needs to be constructed; the tests here do not change owners.
        Context.Services.AddSingleton<ICurrentActor>(new FixedActor(new Actor("admin-id", "admin", null)));
        Context.Services.AddSingleton<IAuditLog>(Audit);
        Context.Services.AddSingleton<IAccessPolicy, AccessPolicy>();
        Context.Services.AddSingleton<AccessPolicy>();
        Context.Services.AddSingleton<VmOwnershipIndex>();
        Context.Services.AddSingleton<TeamDirectoryReader>();
        Context.Services.AddSingleton<IVmOwnerTags>(new FakeOwnerTags());
        Context.Services.AddSingleton<KvmPortal.Hypervisor.Vms.Templates.IVmTemplates>(_ => Templates);
        Context.Services.AddSingleton<VmOwnership>();
        Context.Services.AddSingleton<AuditTargets>();
        Context.Services.AddScoped<OperationGate>();
        Context.Services.AddScoped<VmOwnerAssignment>();
        Context.Services.AddScoped<VmCreationTeam>();
        Context.Services.AddLogging();
        Context.Services.AddScoped<KvmPortal.Web.Vms.Bulk.BulkVmActions>();
        Context.Services.AddScoped<KvmPortal.Web.Components.Shared.BrowserPreferences>();
        Jobs.Services = Context.Services;
        Context.Services.AddSingleton<KvmPortal.Web.Jobs.IJobCenter>(Jobs);
        Context.Services.AddScoped<KvmPortal.Web.Jobs.OperationJobs>();
        AddServices(Context.Services);
        Authorization = Context.AddAuthorization();

        // As in a connected circuit (the pages disable their buttons while prerendered).
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Context.Render<MudPopoverProvider>();
        Dialogs = Context.Render<MudDialogProvider>();
        Snackbars = Context.Render<MudSnackbarProvider>();
    }

    protected BunitContext Context { get; } = new();

    /// <summary>Registers a test class's own fakes before anything is rendered (derived field initializers have run).</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    protected FakeInventory Inventory { get; } = new();

    /// <summary>What the rendered user may do; a global Administrator unless a test says otherwise.</summary>
    protected FixedAccessViewSource Permissions { get; } = new();

    protected RecordingAuditLog Audit { get; } = new();

    /// <summary>The signed-in user as AuthorizeView sees it (nobody until a test says).</summary>
    protected BunitAuthorizationContext Authorization { get; }

    protected RecordingVmOperations Operations { get; } = new();

    protected RecordingHostManager HostManager { get; } = new();

    protected RecordingNetworkOperations Networks { get; } = new();
    protected RecordingVmProvisioning Provisioning { get; } = new();

    protected RecordingVmEditing Editing { get; } = new();

    protected FakeStorageQueries Storage { get; } = new();

    protected RecordingSnapshotOperations Snapshots { get; } = new();

    protected RecordingVmTemplates Templates => templates ??= new RecordingVmTemplates(Inventory);
    private RecordingVmTemplates? templates;
    /// <summary>The job center: started jobs run at once with the test's services.</summary>
    protected FakeJobCenter Jobs { get; } = new();

    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }

    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
