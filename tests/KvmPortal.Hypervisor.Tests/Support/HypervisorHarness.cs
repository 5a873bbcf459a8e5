using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>The real service layer, wired by hand, with short intervals for tests.</summary>
public sealed class HypervisorHarness : IAsyncDisposable
{
    internal HypervisorHarness(
        HypervisorOptions? options = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null,
        IEnumerable<KvmPortal.Hypervisor.Usage.IUsageSampleSink>? usageSinks = null)
    {
        Options = options ?? new HypervisorOptions
        {
            StatsInterval = TimeSpan.FromSeconds(1),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        Inventory = new InventoryStore();
        Hosts = new HostManager(Inventory, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, loggers ?? NullLoggerFactory.Instance, usageSinks);
        Vms = new VmOperations(Hosts, Inventory);
        Provisioning = new VmProvisioner(Hosts, Inventory);
        Editing = new VmEditor(Hosts, Inventory);
        Cloning = new KvmPortal.Hypervisor.Vms.Clone.VmCloner(Hosts, Inventory);
        Storage = new StorageQueries(Hosts);
        Networks = new NetworkOperations(Hosts, Inventory);
        StorageOps = new StorageOperations(Hosts);
        Snapshots = new SnapshotOperations(Hosts, Inventory);
        SerialConsoles = new SerialConsoles(Hosts, Inventory);
        OwnerTags = new KvmPortal.Hypervisor.Vms.Ownership.VmOwnerTags(Hosts, Inventory);
        Templates = new KvmPortal.Hypervisor.Vms.Templates.VmTemplates(Hosts, Inventory, TimeProvider.System);
        Migration = new KvmPortal.Hypervisor.Vms.Migration.VmMigrator(Hosts, Inventory);
    }

    public HypervisorOptions Options { get; }
    internal InventoryStore Inventory { get; }
    internal HostManager Hosts { get; }
    public IVmOperations Vms { get; }
    public IVmProvisioning Provisioning { get; }
    public IVmEditing Editing { get; }
    public KvmPortal.Hypervisor.Vms.Clone.IVmCloning Cloning { get; }
    public IStorageQueries Storage { get; }
    public INetworkOperations Networks { get; }
    public IStorageOperations StorageOps { get; }
    public ISnapshotOperations Snapshots { get; }
    public ISerialConsoles SerialConsoles { get; }
    public KvmPortal.Hypervisor.Vms.Ownership.IVmOwnerTags OwnerTags { get; }
    public KvmPortal.Hypervisor.Vms.Templates.IVmTemplates Templates { get; }
    public KvmPortal.Hypervisor.Vms.Migration.IVmMigration Migration { get; }
    public IInventory Live => Inventory;

    public HostDefinition Attach(string uri, string? name = null)
    {
        var host = new HostDefinition(Guid.NewGuid(), name ?? uri, uri);
        Hosts.Attach(host);
        return host;
    }

    public ValueTask DisposeAsync() => Hosts.DisposeAsync();
}
