using System.Net;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Networks;

internal sealed class NetworkOperations(HostManager hosts, IInventory inventory) : INetworkOperations
{
    public string PreviewXml(NetworkSpec spec) => NetworkXmlBuilder.Build(spec);

    public async Task<IReadOnlyList<SpecProblem>> ValidateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        var session = Session(hostId);
        return await HostCalls.CallAsync(session, new HostCall("network.check", $"Check network {spec.Name}"), connection => NetworkSpecValidator.Validate(spec, Context(connection)), cancellationToken);
    }

    public async Task<NetworkKey> CreateAsync(Guid hostId, NetworkSpec spec, CancellationToken cancellationToken = default)
    {
        var session = Session(hostId);
        var uuid = await HostCalls.CallAsync(session, new HostCall("network.create", $"Create network {spec.Name}"), connection =>
        {
            // Validated on the host's own thread right before defining, so the overlap check sees the current networks.
            var problems = NetworkSpecValidator.Validate(spec, Context(connection));
            if (problems.Count > 0) throw new NetworkValidationException(problems);
            using var network = connection.DefineNetwork(NetworkXmlBuilder.Build(spec), DefineNetworkFlags.Validate);
            if (spec.Autostart) network.SetAutostart(true);
            if (spec.StartAfterDefine) network.Create();
            return network.Uuid;
        }, cancellationToken);
        session.RequestNetworkRefresh(uuid);
        return new NetworkKey(hostId, uuid);
    }

    public Task StartAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, "Start", n => n.Create(), cancellationToken);

    public Task StopAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, "Stop", n => n.Destroy(), cancellationToken);

    public Task SetAutostartAsync(NetworkKey network, bool autostart, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, autostart ? "Enable autostart of" : "Disable autostart of", n => n.SetAutostart(autostart), cancellationToken);

    public Task DeleteAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, "Delete", n =>
        {
            if (n.IsActive) n.Destroy();
            if (n.IsPersistent) n.Undefine();
        }, cancellationToken);

    public Task UndefineAsync(NetworkKey network, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, "Undefine", n => n.Undefine(), cancellationToken);

    public Task AddDhcpHostAsync(NetworkKey network, DhcpHostSpec host, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, $"Add static DHCP host {host.Mac} to", n =>
        {
            var (ip, subnet, address) = Ipv4(n);
            var existing = ip.Element("dhcp")?.Elements("host")
                .Select(h => new DhcpHostSpec((string?)h.Attribute("mac") ?? "", (string?)h.Attribute("ip") ?? "", (string?)h.Attribute("name")))
                .ToList() ?? [];
            var problems = NetworkSpecValidator.ValidateDhcpHost(host, subnet, address, existing);
            if (problems.Count > 0) throw new NetworkValidationException(problems);
            n.Update(NetworkUpdateCommand.AddLast, NetworkUpdateSection.IpDhcpHost, IndexOf(ip),
                NetworkXmlBuilder.DhcpHost(host).ToString(), AffectFlags(n));
        }, cancellationToken);

    public Task RemoveDhcpHostAsync(NetworkKey network, string mac, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, $"Remove static DHCP host {mac} from", n =>
        {
            var (ip, _, _) = Ipv4(n);
            var host = ip.Element("dhcp")?.Elements("host").FirstOrDefault(h => string.Equals((string?)h.Attribute("mac"), mac.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw HypervisorException.Because(HypervisorErrorKind.DhcpHostNotFound, $"The network has no static DHCP host with MAC {mac}.", mac);
            n.Update(NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpHost, IndexOf(ip), host.ToString(), AffectFlags(n));
        }, cancellationToken);

    public Task SetDhcpRangeAsync(NetworkKey network, string start, string end, CancellationToken cancellationToken = default) =>
        OnNetworkAsync(network, "Change the DHCP range of", n =>
        {
            var (ip, subnet, address) = Ipv4(n);
            var problems = NetworkSpecValidator.ValidateDhcpRange(start, end, subnet, address);
            if (problems.Count > 0) throw new NetworkValidationException(problems);
            // libvirt cannot modify a range in place: delete the old one, then add the new one.
            var flags = AffectFlags(n);
            foreach (var range in ip.Element("dhcp")?.Elements("range").ToList() ?? [])
                n.Update(NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpRange, IndexOf(ip), range.ToString(), flags);
            n.Update(NetworkUpdateCommand.AddLast, NetworkUpdateSection.IpDhcpRange, IndexOf(ip), NetworkXmlBuilder.DhcpRange(start, end).ToString(), flags);
        }, cancellationToken);

    public async Task<string> GetXmlAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        var session = Session(network.HostId);
        return await HostCalls.CallAsync(session, new HostCall("network.read", $"Read {Describe(network)}"), connection =>
        {
            using var n = connection.LookupNetworkByUuid(network.Uuid);
            return n.GetXmlDescription();
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<NetworkLease>> GetLeasesAsync(NetworkKey network, CancellationToken cancellationToken = default)
    {
        var session = Session(network.HostId);
        var leases = await HostCalls.CallAsync(session, new HostCall("network.leases", $"Read the DHCP leases of {Describe(network)}"), connection =>
        {
            using var n = connection.LookupNetworkByUuid(network.Uuid);
            return n.IsActive ? n.GetDhcpLeases() : [];
        }, cancellationToken);
        return leases.Select(l =>
        {
            var vm = l.Mac is null ? null : session.Networks.FindVmByMac(l.Mac);
            return new NetworkLease(l.Mac ?? "", l.IpAddress, (int)l.Prefix, l.Type == IpAddressType.IPv6, l.Hostname, l.Expiry, vm?.Uuid, vm?.Name);
        }).OrderBy(l => l.Ipv6).ThenBy(l => IPAddress.TryParse(l.Ip, out var a) ? a.GetAddressBytes() : [], ByteOrder.Instance).ToList();
    }

    public async Task<IReadOnlyList<HostInterfaceInfo>> GetHostInterfacesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        var session = Session(hostId);
        return await HostCalls.CallAsync(session, new HostCall("host.interfaces", $"List the interfaces of host {session.Host.Name}"), HostInterfaceReader.Read, cancellationToken);
    }

    private async Task OnNetworkAsync(NetworkKey network, string verb, Action<Network> action, CancellationToken cancellationToken)
    {
        var session = Session(network.HostId);
        await HostCalls.CallAsync(session, new HostCall("network.change", $"{verb} {Describe(network)}"), connection =>
        {
            using var n = connection.LookupNetworkByUuid(network.Uuid);
            action(n);
            return true;
        }, cancellationToken);
        session.RequestNetworkRefresh(network.Uuid);
    }

    /// <summary>The other networks' subnets and, when the host can list them, its interface names.</summary>
    private static NetworkValidationContext Context(Connection connection)
    {
        var existing = new List<ExistingNetwork>();
        var networks = connection.ListAllNetworks();
        try
        {
            foreach (var network in networks)
            {
                try
                {
                    existing.Add(new ExistingNetwork(network.Name, NetworkXmlReader.Subnets(network.GetXmlDescription())));
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoNetwork)
                {
                }
            }
        }
        finally
        {
            foreach (var network in networks) network.Dispose();
        }
        HashSet<string>? interfaces;
        try
        {
            interfaces = HostInterfaceReader.Read(connection).Select(i => i.Name).ToHashSet();
        }
        catch (LibvirtException)
        {
            interfaces = null; // not knowing the interfaces is no reason to refuse: libvirt checks on start
        }
        return new NetworkValidationContext(existing, interfaces);
    }

    /// <summary>Change the running network and its definition, or whichever of the two exists.</summary>
    private static NetworkUpdateFlags AffectFlags(Network network) =>
        (network.IsActive ? NetworkUpdateFlags.Live : 0) | (network.IsPersistent ? NetworkUpdateFlags.Config : 0);

    private static (XElement Ip, IPNetwork Subnet, IPAddress? Address) Ipv4(Network network)
    {
        var xml = XElement.Parse(network.GetXmlDescription());
        var ip = xml.Elements("ip").FirstOrDefault(i => (string?)i.Attribute("family") != "ipv6" && IpMath.ParseIpv4((string?)i.Attribute("address")) is not null)
            ?? throw HypervisorException.Because(HypervisorErrorKind.NetworkWithoutIpv4, "The network has no IPv4 address, so it has no DHCP to change.");
        return (ip, NetworkXmlReader.Subnet(ip)!.Value, IpMath.ParseIpv4((string?)ip.Attribute("address")));
    }

    /// <summary>The parentIndex of virNetworkUpdate: the position of the &lt;ip&gt; among the network's &lt;ip&gt;s.</summary>
    private static int IndexOf(XElement ip) => ip.ElementsBeforeSelf("ip").Count();

    private HostSession Session(Guid hostId) => HostCalls.Session(hosts, hostId);

    private string Describe(NetworkKey network) =>
        inventory.Current.Networks.TryGetValue(network, out var info) ? $"network {info.Name}" : $"network {network.Uuid}";

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x is null || y is null
            ? Comparer<int>.Default.Compare(x?.Length ?? 0, y?.Length ?? 0)
            : ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
