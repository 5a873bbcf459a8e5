using System.Xml.Linq;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>
/// The network half of a host session: keeps the host's networks in the inventory (from a full read at connect
/// and network/domain events) and knows each VM's NICs and addresses. Called from the session's loop, one call
/// at a time; <see cref="AddressesOf"/> and <see cref="FindVmByMac"/> may be called from any thread.
/// </summary>
/// <remarks>
/// What the addresses cost libvirt, per host:
/// - Each domain's XML is read once at connect and again only when a lifecycle event names the domain; it gives
///   the NICs' MACs and networks (and the attached-VM counts), so the sampler never reads domain XML.
/// - Every stats interval: one virNetworkGetDHCPLeases per active network that a running VM is attached to (a
///   read of dnsmasq's status file in libvirtd), matched to VMs by MAC.
/// - Every <see cref="SlowRoundEvery"/> intervals, and only for running VMs with a MAC that has no lease (bridged
///   or macvtap NICs, static guest addresses): one virDomainInterfaceAddresses per VM, from the guest agent when
///   the domain has its channel, else from the host's ARP table. A source that fails is not asked again on this
///   connection (libvirt 9.0's ARP source fails on some kernels).
/// Pages read the result from the inventory; opening one never calls libvirt.
/// </remarks>
internal sealed class HostNetworkTracker(Guid hostId, ILogger logger)
{
    /// <summary>The slow round (ARP / guest agent) runs every this many stats intervals.</summary>
    internal const int SlowRoundEvery = 6;

    private const string GuestAgentChannel = "org.qemu.guest_agent.0";

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, DomainNics> _domains = [];
    private readonly Dictionary<Guid, NetworkInfo> _networks = [];
    private readonly Dictionary<Guid, ValueList<VmAddress>> _addresses = [];
    private readonly Dictionary<Guid, List<VmAddress>> _slowAddresses = [];
    private readonly HashSet<InterfaceAddressSource> _failedSources = [];
    private int _samples;

    private sealed record Nic(string? Mac, string? Network, string? Bridge);

    private sealed record DomainNics(string Name, IReadOnlyList<Nic> Nics, bool HasAgent);

    /// <summary>Reads every network and every domain's NICs; returns the network rows and removals.</summary>
    public List<InventoryChange> Synchronize(Connection connection)
    {
        var domains = connection.ListAllDomains();
        var nics = new Dictionary<Guid, DomainNics>();
        try
        {
            foreach (var domain in domains)
            {
                try
                {
                    nics[domain.Uuid] = ReadNics(domain.Name, domain.GetXmlDescription());
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
                {
                }
            }
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }

        var read = new Dictionary<Guid, (string Xml, bool Active, bool Autostart, bool Persistent)>();
        var networks = connection.ListAllNetworks();
        try
        {
            foreach (var network in networks)
            {
                try
                {
                    read[network.Uuid] = ReadNetwork(network);
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

        lock (_gate)
        {
            _failedSources.Clear();
            _domains.Clear();
            foreach (var (uuid, domain) in nics) _domains[uuid] = domain;
            foreach (var uuid in _addresses.Keys.Where(u => !_domains.ContainsKey(u)).ToList()) Forget(uuid);

            var changes = new List<InventoryChange>();
            foreach (var uuid in _networks.Keys.Where(u => !read.ContainsKey(u)).ToList())
            {
                _networks.Remove(uuid);
                changes.Add(new NetworkRemoved(new NetworkKey(hostId, uuid)));
            }
            foreach (var (uuid, state) in read)
            {
                var info = NetworkXmlReader.Read(hostId, state.Xml, state.Active, state.Autostart, state.Persistent, 0);
                _networks[uuid] = info with { AttachedVms = CountAttached(info) };
                changes.Add(new NetworkChanged(_networks[uuid]));
            }
            return changes;
        }
    }

    /// <summary>Re-reads the named domains' NICs and networks after events; returns the network rows that changed.</summary>
    public List<InventoryChange> Refresh(Connection connection, IReadOnlyCollection<Guid> domains, IReadOnlyCollection<Guid> networks)
    {
        var domainNics = new Dictionary<Guid, DomainNics?>();
        foreach (var uuid in domains)
        {
            try
            {
                using var domain = connection.LookupDomainByUuid(uuid);
                domainNics[uuid] = ReadNics(domain.Name, domain.GetXmlDescription());
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
            {
                domainNics[uuid] = null;
            }
        }
        var networkStates = new Dictionary<Guid, (string Xml, bool Active, bool Autostart, bool Persistent)?>();
        foreach (var uuid in networks)
        {
            try
            {
                using var network = connection.LookupNetworkByUuid(uuid);
                networkStates[uuid] = ReadNetwork(network);
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoNetwork)
            {
                networkStates[uuid] = null;
            }
        }

        lock (_gate)
        {
            foreach (var (uuid, nics) in domainNics)
            {
                if (nics is null)
                {
                    _domains.Remove(uuid);
                    Forget(uuid);
                }
                else
                {
                    _domains[uuid] = nics;
                }
            }
            var changes = new List<InventoryChange>();
            foreach (var (uuid, state) in networkStates)
            {
                if (state is not { } s)
                {
                    if (_networks.Remove(uuid)) changes.Add(new NetworkRemoved(new NetworkKey(hostId, uuid)));
                    continue;
                }
                _networks[uuid] = NetworkXmlReader.Read(hostId, s.Xml, s.Active, s.Autostart, s.Persistent, 0);
            }
            foreach (var (uuid, info) in _networks.ToList())
            {
                var updated = info with { AttachedVms = CountAttached(info) };
                if (updated != info || networkStates.ContainsKey(uuid))
                {
                    _networks[uuid] = updated;
                    changes.Add(new NetworkChanged(updated));
                }
            }
            return changes;
        }
    }

    /// <summary>Updates every VM's addresses from the bulk stats' running set; see the class remarks for the cost.</summary>
    public void SampleAddresses(Connection connection, IReadOnlyList<DomainStatsRecord> records)
    {
        var running = records
            .Where(r => r.Values.TryGetValue("state.state", out var s) && VmStates.IsActive(VmStates.From((DomainState)Convert.ToInt32(s))))
            .Select(r => r.Uuid)
            .ToHashSet();
        Dictionary<Guid, DomainNics> domains;
        List<NetworkInfo> leaseNetworks;
        bool slowRound;
        HashSet<InterfaceAddressSource> failed;
        lock (_gate)
        {
            domains = _domains.Where(d => running.Contains(d.Key)).ToDictionary();
            var used = domains.Values.SelectMany(d => d.Nics).Select(n => n.Network).OfType<string>().ToHashSet();
            leaseNetworks = _networks.Values
                .Where(n => n.Active && used.Contains(n.Name) && (n.Ipv4Cidr is not null || n.Ipv6Cidr is not null))
                .ToList();
            slowRound = _samples++ % SlowRoundEvery == 0;
            failed = [.. _failedSources];
        }

        var leases = new Dictionary<string, List<VmAddress>>(StringComparer.OrdinalIgnoreCase);
        foreach (var info in failed.Contains(InterfaceAddressSource.Lease) ? [] : leaseNetworks)
        {
            try
            {
                using var network = connection.LookupNetworkByUuid(info.Uuid);
                foreach (var lease in network.GetDhcpLeases())
                {
                    if (lease.Mac is null) continue;
                    if (!leases.TryGetValue(lease.Mac, out var list)) leases[lease.Mac] = list = [];
                    list.Add(new VmAddress(lease.IpAddress, (int)lease.Prefix, lease.Mac.ToLowerInvariant(), VmAddressSource.Lease));
                }
            }
            catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoNetwork or ErrorCode.OperationInvalid)
            {
                // Stopped or removed since the last event; the event refresh catches up.
            }
            catch (LibvirtException e)
            {
                // Addresses are a nicety: a driver without leases (test://) must not take the host offline.
                logger.LogInformation("Not asking for DHCP leases on this connection any more: {Message}", e.Message);
                failed.Add(InterfaceAddressSource.Lease);
                break;
            }
        }

        var slow = new Dictionary<Guid, List<VmAddress>>();
        if (slowRound)
        {
            foreach (var (uuid, nics) in domains)
            {
                if (nics.Nics.All(n => n.Mac is null || leases.ContainsKey(n.Mac))) continue;
                var source = nics.HasAgent && !failed.Contains(InterfaceAddressSource.Agent)
                    ? InterfaceAddressSource.Agent : InterfaceAddressSource.Arp;
                if (failed.Contains(source)) continue;
                try
                {
                    using var domain = connection.LookupDomainByUuid(uuid);
                    slow[uuid] = domain.GetInterfaceAddresses(source)
                        .Where(i => i.Name != "lo")
                        .SelectMany(i => i.Addresses.Select(a => new VmAddress(a.Address, (int)a.Prefix, i.HardwareAddress?.ToLowerInvariant(),
                            source == InterfaceAddressSource.Agent ? VmAddressSource.Agent : VmAddressSource.Arp)))
                        .Where(a => !a.Address.StartsWith("127.", StringComparison.Ordinal) && a.Address != "::1"
                            && !a.Address.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase))
                        .ToList();
                }
                catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoDomain or ErrorCode.OperationInvalid)
                {
                }
                catch (LibvirtException e)
                {
                    logger.LogInformation("Not asking for VM addresses from {Source} on this connection any more: {Message}", source, e.Message);
                    failed.Add(source);
                }
            }
        }

        lock (_gate)
        {
            _failedSources.UnionWith(failed);
            foreach (var uuid in _addresses.Keys.Where(u => !running.Contains(u)).ToList()) Forget(uuid);
            foreach (var (uuid, nics) in domains)
            {
                if (slowRound)
                {
                    if (slow.TryGetValue(uuid, out var found)) _slowAddresses[uuid] = found;
                    else _slowAddresses.Remove(uuid);
                }
                var fromLeases = nics.Nics.Select(n => n.Mac).OfType<string>()
                    .SelectMany(mac => leases.GetValueOrDefault(mac) ?? []);
                var others = _slowAddresses.GetValueOrDefault(uuid) ?? [];
                var all = fromLeases.Concat(others.Where(o => !fromLeases.Any(l => l.Address == o.Address)))
                    .OrderBy(a => a.Address.Contains(':')).ThenBy(a => a.Address, StringComparer.Ordinal).ToList();
                var list = new ValueList<VmAddress>(all);
                if (!_addresses.TryGetValue(uuid, out var previous) || !previous.Equals(list)) _addresses[uuid] = list;
            }
        }
    }

    public IReadOnlyList<VmAddress> AddressesOf(Guid uuid)
    {
        lock (_gate) return _addresses.GetValueOrDefault(uuid) ?? ValueList<VmAddress>.Empty;
    }

    /// <summary>The VM with a NIC of this MAC, from the NICs read at connect and on events.</summary>
    public (Guid Uuid, string Name)? FindVmByMac(string mac)
    {
        lock (_gate)
        {
            foreach (var (uuid, domain) in _domains)
            {
                if (domain.Nics.Any(n => string.Equals(n.Mac, mac, StringComparison.OrdinalIgnoreCase))) return (uuid, domain.Name);
            }
            return null;
        }
    }

    /// <summary>Decorates VM rows with their addresses; other changes pass through.</summary>
    public IEnumerable<InventoryChange> WithAddresses(IEnumerable<InventoryChange> changes) =>
        changes.Select(c => c is VmChanged v ? new VmChanged(v.Vm with { Addresses = AddressesOf(v.Vm.Uuid) }) : c);

    private void Forget(Guid uuid)
    {
        _addresses.Remove(uuid);
        _slowAddresses.Remove(uuid);
    }

    private int CountAttached(NetworkInfo network) => _domains.Values.Count(d => d.Nics.Any(n =>
        n.Network == network.Name || (network.Mode == NetworkForwardMode.Bridge && n.Network is null && n.Bridge is not null && n.Bridge == network.Bridge)));

    private static (string Xml, bool Active, bool Autostart, bool Persistent) ReadNetwork(Network network) =>
        (network.GetXmlDescription(), network.IsActive, network.GetAutostart(), network.IsPersistent);

    private static DomainNics ReadNics(string name, string xml)
    {
        var devices = XElement.Parse(xml).Element("devices");
        var nics = devices?.Elements("interface").Select(i =>
        {
            var source = i.Element("source");
            var type = (string?)i.Attribute("type");
            return new Nic(
                ((string?)i.Element("mac")?.Attribute("address"))?.ToLowerInvariant(),
                type == "network" ? (string?)source?.Attribute("network") : null,
                (string?)source?.Attribute("bridge"));
        }).ToList() ?? [];
        var agent = devices?.Elements("channel").Any(c => (string?)c.Element("target")?.Attribute("name") == GuestAgentChannel) ?? false;
        return new DomainNics(name, nics, agent);
    }
}
