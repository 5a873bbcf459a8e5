using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Networks;

namespace KvmPortal.Web.Access.Gated;

/// <summary><see cref="INetworkOperations"/> through the gate: reading needs the network view, changes the management permission.</summary>
internal sealed class GatedNetworkOperations(INetworkOperations inner, OperationGate gate, AuditTargets targets) : INetworkOperations
{
    public string PreviewXml(NetworkSpec spec) => inner.PreviewXml(spec);

    public async Task<IReadOnlyList<SpecProblem>> ValidateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageNetworks, AccessTarget.Host(hostId), cancellationToken);
        return await inner.ValidateAsync(hostId, spec, cancellationToken);
    }

    public Task<NetworkKey> CreateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default) =>
        gate.RunAsync(new GatedOperation(PortalAction.ManageNetworks, "network.create", AccessTarget.Host(hostId),
                targets.Network(hostId, spec.Name), spec),
            () => inner.CreateAsync(hostId, spec, cancellationToken), cancellationToken);

    public Task StartAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.start", null, () => inner.StartAsync(network, cancellationToken), cancellationToken);

    public Task StopAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.stop", null, () => inner.StopAsync(network, cancellationToken), cancellationToken);

    public Task SetAutostartAsync(NetworkKey network, bool autostart, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.autostart", new { autostart }, () => inner.SetAutostartAsync(network, autostart, cancellationToken), cancellationToken);

    public Task DeleteAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.delete", null, () => inner.DeleteAsync(network, cancellationToken), cancellationToken);

    public Task UndefineAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.undefine", null, () => inner.UndefineAsync(network, cancellationToken), cancellationToken);

    public Task AddDhcpHostAsync(NetworkKey network, DhcpHostSpec host, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.dhcp-host.add", host, () => inner.AddDhcpHostAsync(network, host, cancellationToken), cancellationToken);

    public Task RemoveDhcpHostAsync(NetworkKey network, string mac, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.dhcp-host.remove", new { mac }, () => inner.RemoveDhcpHostAsync(network, mac, cancellationToken), cancellationToken);

    public Task SetDhcpRangeAsync(NetworkKey network, string start, string end, CancellationToken cancellationToken = default) =>
        ChangeAsync(network, "network.dhcp-range", new { start, end }, () => inner.SetDhcpRangeAsync(network, start, end, cancellationToken), cancellationToken);

    public async Task<string> GetXmlAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewNetworks, AccessTarget.Host(network.HostId), cancellationToken);
        return await inner.GetXmlAsync(network, cancellationToken);
    }

    public async Task<IReadOnlyList<NetworkLease>> GetLeasesAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewNetworks, AccessTarget.Host(network.HostId), cancellationToken);
        return await inner.GetLeasesAsync(network, cancellationToken);
    }

    public async Task<IReadOnlyList<HostInterfaceInfo>> GetHostInterfacesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewNetworks, AccessTarget.Host(hostId), cancellationToken);
        return await inner.GetHostInterfacesAsync(hostId, cancellationToken);
    }

    private Task ChangeAsync(NetworkKey network, string action, object? parameters, Func<Task> run, CancellationToken cancellationToken) =>
        gate.RunAsync(new GatedOperation(PortalAction.ManageNetworks, action, AccessTarget.Host(network.HostId),
            targets.Network(network), parameters, cancellationToken => ReadXmlAsync(network, cancellationToken)), run, cancellationToken);

    private async Task<string?> ReadXmlAsync(NetworkKey network, CancellationToken cancellationToken) =>
        await inner.GetXmlAsync(network, cancellationToken);
}
