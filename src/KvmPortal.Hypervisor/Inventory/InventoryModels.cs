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

    /// <summary>The snapshot after <paramref name="changes"/>, applied in order.</summary>
    public InventorySnapshot Apply(IEnumerable<InventoryChange> changes) => Apply(changes, out _);

    /// <summary>
    /// The snapshot after <paramref name="changes"/>, applied in order; <paramref name="effective"/> lists those
    /// that changed something (an update equal to the current value, or removing what is not there, does not).
    /// </summary>
    public InventorySnapshot Apply(IEnumerable<InventoryChange> changes, out IReadOnlyList<InventoryChange> effective)
    {
        var hosts = Hosts.ToBuilder();
        var vms = Vms.ToBuilder();
        var networks = Networks.ToBuilder();
        var applied = new List<InventoryChange>();
        foreach (var change in changes)
        {
            var changed = change switch
            {
                HostChanged c => Set(hosts, c.Host.Id, c.Host),
                HostRemoved c => hosts.Remove(c.HostId),
                VmChanged c => Set(vms, c.Vm.Key, c.Vm),
                VmRemoved c => vms.Remove(c.Key),
                NetworkChanged c => Set(networks, c.Network.Key, c.Network),
                NetworkRemoved c => networks.Remove(c.Key),
                _ => throw new ArgumentOutOfRangeException(nameof(changes), change, "Unknown inventory change."),
            };
            if (changed) applied.Add(change);
        }
        effective = applied;
        return applied.Count == 0 ? this
            : new InventorySnapshot(hosts.ToImmutable(), vms.ToImmutable()) { Networks = networks.ToImmutable() };
    }

    private static bool Set<TKey, TValue>(ImmutableDictionary<TKey, TValue>.Builder map, TKey key, TValue value)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var old) && EqualityComparer<TValue>.Default.Equals(old, value)) return false;
        map[key] = value;
        return true;
    }
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
