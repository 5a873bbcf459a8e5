using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>
/// Virtual networks, their DHCP leases and the host's interfaces. The network list itself is live in the
/// inventory (<see cref="Inventory.InventorySnapshot.Networks"/>). Failures raise <see cref="HypervisorException"/>
/// with a user-facing message.
/// </summary>
public interface INetworkOperations
{
    /// <summary>The XML that <see cref="CreateAsync"/> would define, for the "show XML before defining" step.</summary>
    string PreviewXml(NetworkSpec spec);

    /// <summary>Every problem with the spec on this host (names, addresses, overlaps with its other networks).</summary>
    Task<IReadOnlyList<SpecProblem>> ValidateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Validates, defines, sets autostart and starts (as the spec says). Problems raise <see cref="NetworkValidationException"/>.</summary>
    Task<NetworkKey> CreateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default);

    Task StartAsync(NetworkKey network, CancellationToken cancellationToken = default);

    Task StopAsync(NetworkKey network, CancellationToken cancellationToken = default);

    Task SetAutostartAsync(NetworkKey network, bool autostart, CancellationToken cancellationToken = default);

    /// <summary>Stops the network if it runs, then removes its definition.</summary>
    Task DeleteAsync(NetworkKey network, CancellationToken cancellationToken = default);

    /// <summary>Removes the definition only; a running network keeps running until stopped (transient).</summary>
    Task UndefineAsync(NetworkKey network, CancellationToken cancellationToken = default);

    /// <summary>Adds a static DHCP host without restarting the network (live and persistent where they apply).</summary>
    Task AddDhcpHostAsync(NetworkKey network, DhcpHostSpec host, CancellationToken cancellationToken = default);

    /// <summary>Removes the static DHCP host of this MAC without restarting the network.</summary>
    Task RemoveDhcpHostAsync(NetworkKey network, string mac, CancellationToken cancellationToken = default);

    /// <summary>Replaces the IPv4 DHCP range without restarting the network.</summary>
    Task SetDhcpRangeAsync(NetworkKey network, string start, string end, CancellationToken cancellationToken = default);

    Task<string> GetXmlAsync(NetworkKey network, CancellationToken cancellationToken = default);

    /// <summary>The network's DHCP leases, each with the VM whose NIC has the lease's MAC.</summary>
    Task<IReadOnlyList<NetworkLease>> GetLeasesAsync(NetworkKey network, CancellationToken cancellationToken = default);

    /// <summary>The host's interfaces and bridges, to pick from for bridge/macvtap networks and bridged NICs.</summary>
    Task<IReadOnlyList<HostInterfaceInfo>> GetHostInterfacesAsync(Guid hostId, CancellationToken cancellationToken = default);
}

/// <summary>A spec the validator refused; <see cref="Problems"/> lists every reason.</summary>
public sealed class NetworkValidationException(IReadOnlyList<SpecProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<SpecProblem> Problems { get; } = problems;
}
