using System.Collections.Immutable;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Inventory;

/// <summary>An immutable picture of every host and VM at one moment.</summary>
public sealed record InventorySnapshot(
    ImmutableDictionary<Guid, HostInfo> Hosts,
    ImmutableDictionary<VmKey, VmInfo> Vms)
{
    public static InventorySnapshot Empty { get; } =
        new(ImmutableDictionary<Guid, HostInfo>.Empty, ImmutableDictionary<VmKey, VmInfo>.Empty);

    /// <summary>Every host's virtual networks.</summary>
    public ImmutableDictionary<NetworkKey, NetworkInfo> Networks { get; init; } = ImmutableDictionary<NetworkKey, NetworkInfo>.Empty;
}

public abstract record InventoryChange;
public sealed record HostChanged(HostInfo Host) : InventoryChange;
public sealed record HostRemoved(Guid HostId) : InventoryChange;
public sealed record VmChanged(VmInfo Vm) : InventoryChange;
public sealed record VmRemoved(VmKey Key) : InventoryChange;
public sealed record NetworkChanged(NetworkInfo Network) : InventoryChange;
public sealed record NetworkRemoved(NetworkKey Key) : InventoryChange;

/// <summary>A subscriber's view: the snapshot at subscription time and every change batch after it.</summary>
public sealed record InventorySubscription(
    InventorySnapshot Snapshot,
    IAsyncEnumerable<IReadOnlyList<InventoryChange>> Changes);
