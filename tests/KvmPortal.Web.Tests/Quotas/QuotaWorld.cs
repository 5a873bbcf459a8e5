using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Quotas;

/// <summary>
/// One team with quotas on the fixture's real PostgreSQL, a host in the fake inventory for its VMs, pools in the fake
/// storage, and the gated services over recording fakes for a global Administrator creating for that team.
/// </summary>
public sealed class QuotaWorld
{
    public const ulong GiB = 1UL << 30;

    private readonly KvmPortalAppFixture app;
    private readonly string pool = "quota-" + Guid.NewGuid().ToString("N")[..8];

    private QuotaWorld(KvmPortalAppFixture app, AccessScenario scenario, Actor actor, HostInfo host, Guid team, string teamName)
    {
        this.app = app;
        Scenario = scenario;
        Host = host;
        Team = team;
        TeamName = teamName;
        var gate = scenario.Gate(actor);
        var targets = scenario.Targets;
        var quotas = app.Services.GetRequiredService<QuotaGuard>();
        var creationTeam = new VmCreationTeam(scenario.Policy, app.Services.GetRequiredService<TeamDirectoryReader>()) { Chosen = team };
        Vms = new GatedVmOperations(InnerVms, gate, targets, quotas);
        Editing = new GatedVmEditing(InnerEditing, gate, targets, app.Services.GetRequiredService<VmOwnershipIndex>(), quotas);
        Provisioning = new GatedVmProvisioning(InnerProvisioning, gate, creationTeam, app.Services.GetRequiredService<VmOwnership>(), targets,
            new FixedAccessViewSource(), quotas);
        Storage = new GatedStorageOperations(app.Storage, gate, targets, quotas);
        Snapshots = new GatedSnapshotOperations(InnerSnapshots, gate, targets, quotas);
        app.Storage.Pools.Add(new StoragePoolSummary(host.Id, pool, Guid.NewGuid(), "dir", "/p", PoolState.Running, 1000 * GiB, 0, 1000 * GiB, true, true));
    }

    public AccessScenario Scenario { get; }
    public HostInfo Host { get; }
    public Guid Team { get; }
    public string TeamName { get; }
    public string Pool => pool;

    public RecordingVmOperations InnerVms { get; } = new();
    public RecordingVmEditing InnerEditing { get; } = new();
    public RecordingVmProvisioning InnerProvisioning { get; } = new();
    public IVmOperations Vms { get; }
    public IVmEditing Editing { get; }
    public IVmProvisioning Provisioning { get; }
    public IStorageOperations Storage { get; }
    public RecordingSnapshotOperations InnerSnapshots { get; } = new();
    public ISnapshotOperations Snapshots { get; }

    public static async Task<QuotaWorld> CreateAsync(KvmPortalAppFixture app, Action<Data.TeamRecord> quota)
    {
        var scenario = new AccessScenario(app);
        var actor = await scenario.CreateUserAsync("admin");
        await scenario.GrantAsync(actor, PortalRole.Administrator, null);
        var hostId = await scenario.CreateHostAsync();
        var host = app.Inventory.AddHost("quota-" + hostId.ToString("N")[..8], id: hostId);
        var team = await scenario.CreateTeamAsync("alpha");
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        var record = await db.Teams.SingleAsync(t => t.Id == team);
        quota(record);
        await db.SaveChangesAsync();
        return new QuotaWorld(app, scenario, actor, host, team, record.Name);
    }

    /// <summary>A VM in the inventory, owned by the team unless <paramref name="owned"/> is false.</summary>
    public async Task<VmInfo> AddVmAsync(VmState state, int vcpus, ulong memoryBytes, bool owned = true)
    {
        var vm = new VmInfo(Host.Id, Guid.NewGuid(), "vm-" + Guid.NewGuid().ToString("N")[..6], state, vcpus, memoryBytes, null, null, true);
        app.Inventory.Push(new VmChanged(vm));
        if (owned)
            await Scenario.OwnAsync(vm.Key, Team);
        return vm;
    }

    /// <summary>A volume of this world's pool, used by the given VMs.</summary>
    public string AddVolume(ulong capacityBytes, string format = "qcow2", params VmInfo[] users)
    {
        var name = "disk-" + Guid.NewGuid().ToString("N")[..6] + "." + format;
        app.Storage.Volumes.Add(new VolumeDetails(pool, name, $"/p/{name}", format, capacityBytes, 0, null,
            [.. users.Select(u => new VolumeUser(u.Name, u.Uuid, u.State == VmState.Running))]));
        return name;
    }

    /// <summary>The audit entries of refusals, with their errors.</summary>
    public IReadOnlyList<(string Action, string? Error)> Refusals =>
        [.. Scenario.Audit.Entries.Where(e => !e.Succeeded).Select(e => (e.Action, e.Error))];
}
