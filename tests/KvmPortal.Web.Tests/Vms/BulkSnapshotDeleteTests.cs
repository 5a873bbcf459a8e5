using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using KvmPortal.Web.Tests.Jobs;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Vms.Bulk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Vms;

/// <summary>
/// Bulk snapshot and delete through the gated services on real libvirt: a private test-driver host (its own node file,
/// so nothing else sees its VMs) and a host that cannot be reached. Each VM gets its result and its audit entry; the
/// offline host's VMs fail without stopping the others.
/// </summary>
public sealed class BulkSnapshotDeleteTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>, IAsyncLifetime
{
    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private readonly AccessScenario scenario = new(app);
    private readonly RealHypervisor hypervisor = new();
    private readonly string nodeFile = Path.Combine(Path.GetTempPath(), $"kvmportal-test-bulk-{Guid.NewGuid():N}.xml");
    private HostDefinition up = default!;
    private HostDefinition down = default!;

    public async Task InitializeAsync()
    {
        new XElement("node", Enumerable.Range(1, 3).Select(i => new XElement("domain", new XAttribute("type", "test"),
            new XElement("name", $"bulk{i}"), new XElement("uuid", Guid.NewGuid()),
            new XElement("memory", 65536), new XElement("vcpu", 1),
            new XElement("os", new XElement("type", "hvm")),
            new XElement("devices", new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2")),
                new XElement("source", new XAttribute("file", $"/var/lib/libvirt/images/kvmportal-test-bulk{i}.qcow2")),
                new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))))))).Save(nodeFile);
        up = hypervisor.Attach("up", "test://" + nodeFile);
        down = hypervisor.Attach("down", $"test:///nonexistent/kvmportal-test-{Guid.NewGuid():N}.xml");
        await hypervisor.WaitUntilAsync(s => s.Vms.Values.Count(v => v.HostId == up.Id) == 3
            && s.Hosts.TryGetValue(down.Id, out var h) && h.Status == HostStatus.Offline, "one host is up with its VMs and the other offline");
    }

    public async Task DisposeAsync()
    {
        await hypervisor.DisposeAsync();
        File.Delete(nodeFile);
    }

    private async Task<(BulkVmActions Bulk, RecordingAuditLog Audit)> BulkAsAdministratorAsync()
    {
        var admin = await scenario.CreateUserAsync("bulkadmin");
        await scenario.GrantAsync(admin, PortalRole.Administrator, null);
        var gate = scenario.Gate(admin);
        var targets = new AuditTargets(hypervisor.Inventory);
        var quotas = QuotaGuards.WithoutDatabase(hypervisor.Inventory);
        var bulk = new BulkVmActions(
            new GatedVmOperations(hypervisor.Get<IVmOperations>(), gate, targets, quotas),
            new GatedSnapshotOperations(hypervisor.Get<ISnapshotOperations>(), gate, targets, quotas),
            new GatedVmEditing(hypervisor.Get<IVmEditing>(), gate, targets, app.Services.GetRequiredService<VmOwnershipIndex>(), quotas),
            hypervisor.Inventory, Text, NullLogger<BulkVmActions>.Instance);
        return (bulk, scenario.Audit);
    }

    private List<VmKey> Selection() =>
    [
        .. hypervisor.Inventory.Current.Vms.Values.Where(v => v.HostId == up.Id).OrderBy(v => v.Name).Select(v => v.Key),
        new VmKey(down.Id, Guid.NewGuid()),
    ];

    [Fact]
    public async Task A_bulk_snapshot_takes_one_per_vm_and_reports_the_offline_hosts_vm_as_failed()
    {
        using var _ = new CultureScope("en");
        var (bulk, audit) = await BulkAsAdministratorAsync();
        var vms = Selection();
        var reported = new System.Collections.Concurrent.ConcurrentQueue<BulkVmResult>();

        var results = await bulk.SnapshotAsync(vms, "before-upgrade", "bulk", SnapshotKind.Internal, reported.Enqueue);

        Assert.Equal(vms, results.Select(r => r.Vm));
        Assert.All(results.Take(3), r => Assert.True(r.Succeeded, r.Error));
        Assert.False(results[3].Succeeded);
        Assert.Contains("down", results[3].Error);
        Assert.Equal(4, reported.Count);
        var snapshots = hypervisor.Get<ISnapshotOperations>();
        foreach (var vm in vms.Take(3))
            Assert.Equal("before-upgrade", Assert.Single(await snapshots.ListAsync(vm)).Name);
        Assert.Equal(4, audit.Entries.Count(e => e.Action == "vm.snapshot.create"));
        Assert.Equal(3, audit.Entries.Count(e => e.Action == "vm.snapshot.create" && e.Succeeded));

        // Again with the same name: every VM refuses on its own, and says why.
        var again = await bulk.SnapshotAsync(vms, "before-upgrade", null, SnapshotKind.Internal);
        Assert.All(again, r => Assert.False(r.Succeeded));
        Assert.All(again.Take(3), r => Assert.Contains("before-upgrade", r.Error));
    }

    [Fact]
    public async Task A_bulk_delete_removes_the_reachable_vms_and_reports_the_offline_hosts_vm_as_failed()
    {
        using var _ = new CultureScope("en");
        var (bulk, audit) = await BulkAsAdministratorAsync();
        var vms = Selection();

        // The test driver knows no checkpoints, so its undefine refuses that metadata flag: leave snapshot metadata alone.
        var results = await bulk.DeleteAsync(vms, new DeleteOptions(RemoveStorage: true, RemoveSnapshotsMetadata: false));

        Assert.All(results.Take(3), r => Assert.True(r.Succeeded, r.Error));
        Assert.False(results[3].Succeeded);
        Assert.Contains("down", results[3].Error);
        await hypervisor.WaitUntilAsync(s => !s.Vms.Values.Any(v => v.HostId == up.Id), "the deleted VMs leave the inventory");
        Assert.Equal(4, audit.Entries.Count(e => e.Action == "vm.delete"));
        Assert.Single(audit.Entries, e => e.Action == "vm.delete" && !e.Succeeded);
    }
}
