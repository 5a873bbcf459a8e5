using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;

namespace KvmPortal.Web.Components.Pages.Networks;

/// <summary>A host and its networks, as the network list shows them.</summary>
public sealed record NetworkHostGroup(HostInfo Host, IReadOnlyList<NetworkInfo> Networks);

/// <summary>The network list over an inventory snapshot: per host, by name. No rendering involved.</summary>
public static class NetworkListViewModel
{
    public static IReadOnlyList<NetworkHostGroup> Groups(InventorySnapshot snapshot) =>
        snapshot.Hosts.Values
            .OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .Select(h => new NetworkHostGroup(h, snapshot.Networks.Values
                .Where(n => n.HostId == h.Id)
                .OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
                .ToList()))
            .ToList();

    public static NetworkInfo? Find(InventorySnapshot snapshot, Guid hostId, string name) =>
        snapshot.Networks.Values.FirstOrDefault(n => n.HostId == hostId && n.Name == name);

    /// <summary>"a – b" for a DHCP range, empty without one.</summary>
    public static string Range(string? start, string? end) =>
        start is null && end is null ? "" : $"{start} – {end}";

    public static string DetailHref(NetworkInfo network) => $"networks/{network.HostId}/{Uri.EscapeDataString(network.Name)}";

    /// <summary>The resource key of a forward mode's name.</summary>
    public static string ModeKey(NetworkForwardMode mode) => $"NetworkMode{mode}";
}
