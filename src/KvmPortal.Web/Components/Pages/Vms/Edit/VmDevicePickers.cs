using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms.Create;

namespace KvmPortal.Web.Components.Pages.Vms.Edit;

/// <summary>
/// What the Devices tab offers to pick from on the VM's host: networks and bridges for a new NIC, and ISO
/// volumes of its storage pools as CD-ROM media.
/// </summary>
public sealed class VmDevicePickers(INetworkOperations networks, IStorageQueries storage)
{
    public NicSourceOptions NicSources { get; } = new(networks);

    public HostStorageCatalog Storage { get; } = new(storage);

    public string MediaPool { get; set; } = "";
    public string MediaVolume { get; set; } = "";

    /// <summary>Why the pools or volumes could not be listed; null when they were.</summary>
    public string? StorageError { get; private set; }

    /// <summary>
    /// Reads the host's pools and bridges once; starts the media on its default pool, and a new disk there too
    /// unless its pool exists on the host.
    /// </summary>
    public async Task LoadAsync(VmEditViewModel edit, CancellationToken cancellationToken = default)
    {
        var hostId = edit.Key.HostId;
        if (Storage.HostId == hostId)
            return;
        await NicSources.LoadBridgesAsync(hostId, cancellationToken);
        StorageError = null;
        try
        {
            await Storage.LoadPoolsAsync(hostId, cancellationToken);
            MediaPool = Storage.DefaultPool?.Name ?? "";
            if (Storage.Pools.All(p => p.Name != edit.NewDiskPool))
                edit.NewDiskPool = MediaPool;
        }
        catch (Exception e) when (e is HypervisorException or AccessDeniedException)
        {
            StorageError = e.Message;
        }
    }

    /// <summary>The ISO volumes of a pool, for the media picker.</summary>
    public async Task<IReadOnlyList<StorageVolumeSummary>> IsoVolumesAsync(string pool) =>
        (await VolumesAsync(pool)).Where(HostStorageCatalog.IsIso).ToList();

    /// <summary>The volumes of a pool, for attaching an existing volume as a disk.</summary>
    public async Task<IReadOnlyList<StorageVolumeSummary>> VolumesAsync(string pool)
    {
        try
        {
            return await Storage.VolumesAsync(pool);
        }
        catch (Exception e) when (e is HypervisorException or AccessDeniedException)
        {
            StorageError = e.Message;
            return [];
        }
    }

    /// <summary>The media to insert, or null while no volume is chosen.</summary>
    public VolumeRef? ChosenMedia => MediaPool.Length > 0 && MediaVolume.Length > 0 ? new VolumeRef(MediaPool, MediaVolume) : null;

    /// <summary>Keeps the network states live and the new NIC on a network the host has.</summary>
    public void ShowNetworks(InventorySnapshot snapshot, VmEditViewModel edit)
    {
        NicSources.ShowNetworks(snapshot, edit.Key.HostId);
        if (edit.NewNicKind == NicSourceKind.Network && NicSources.IsUnknownNetwork(edit.NewNicSource))
            edit.NewNicSource = NicSources.DefaultNetwork;
    }

    public void SetNicKind(VmEditViewModel edit, NicSourceKind kind)
    {
        if (edit.NewNicKind == kind)
            return;
        edit.NewNicKind = kind;
        edit.NewNicSource = NicSources.InitialSource(kind);
    }
}
