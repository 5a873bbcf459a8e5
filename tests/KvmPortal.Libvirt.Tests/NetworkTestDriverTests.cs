using System.Threading.Channels;
using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Networks, host interfaces and guest addresses on libvirt's test driver, whose shared state has an active
/// "default" network (read only here) and the running "test" domain.
/// </summary>
public sealed class NetworkTestDriverTests : IDisposable
{
    private const string Uri = "test:///default";

    private readonly Connection _connection = Connection.Open(Uri);
    private readonly List<string> _names = [];

    public void Dispose()
    {
        foreach (string name in _names)
        {
            try
            {
                using Network network = _connection.LookupNetworkByName(name);
                if (network.IsActive) network.Destroy();
                if (network.IsPersistent) network.Undefine();
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoNetwork)
            {
            }
        }
        _connection.Dispose();
    }

    [Fact]
    public void Lists_and_reads_the_default_network()
    {
        var networks = _connection.ListAllNetworks();
        try
        {
            Network network = Assert.Single(networks, n => n.Name == "default");
            Assert.Same(_connection, network.Connection);
            Assert.True(network.IsActive);
            Assert.True(network.IsPersistent);
            Assert.Equal("virbr0", network.GetBridgeName());
            var xml = XElement.Parse(network.GetXmlDescription());
            Assert.Equal("default", xml.Element("name")!.Value);
            Assert.Equal(network.Uuid, Guid.Parse(xml.Element("uuid")!.Value));
            Assert.Equal("192.168.122.1", (string?)xml.Element("ip")!.Attribute("address"));

            using Network byUuid = _connection.LookupNetworkByUuid(network.Uuid);
            Assert.Equal("default", byUuid.Name);
        }
        finally
        {
            foreach (var network in networks) network.Dispose();
        }
        using Network active = Assert.Single(_connection.ListAllNetworks(ListAllNetworksFlags.Active), n => n.Name == "default");
        Assert.DoesNotContain(_connection.ListAllNetworks(ListAllNetworksFlags.Inactive), n => n.Name == "default");
    }

    [Fact]
    public void Lookup_of_a_missing_network_throws_no_network()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupNetworkByName(DomainXml.UniqueName("missing-")));
        Assert.Equal(ErrorCode.NoNetwork, error.ErrorCode);
        error = Assert.Throws<LibvirtException>(() => _connection.LookupNetworkByUuid(Guid.NewGuid()));
        Assert.Equal(ErrorCode.NoNetwork, error.ErrorCode);
    }

    [Fact]
    public async Task Define_start_update_stop_undefine_with_events()
    {
        var events = Channel.CreateUnbounded<NetworkLifecycleEvent>();
        using var subscription = _connection.SubscribeNetworkLifecycle(events.Writer);
        string name = NewName();

        using Network network = _connection.DefineNetwork(NetworkXml.Isolated(name, 7));
        Guid uuid = network.Uuid;
        var defined = await events.Reader.WaitForAsync(e => e.Uuid == uuid && e.Type == NetworkEventType.Defined, "defined");
        Assert.Equal(name, defined.Name);
        Assert.False(network.IsActive);
        Assert.True(network.IsPersistent);
        Assert.False(network.GetAutostart());
        network.SetAutostart(true);
        Assert.True(network.GetAutostart());

        network.Create();
        await events.Reader.WaitForAsync(e => e.Uuid == uuid && e.Type == NetworkEventType.Started, "started");
        Assert.True(network.IsActive);

        // The argument order of virNetworkUpdate: command, then section (see NativeMethods.Network.cs).
        network.Update(NetworkUpdateCommand.AddLast, NetworkUpdateSection.IpDhcpHost, -1,
            NetworkXml.DhcpHost("52:54:00:aa:bb:cc", "10.254.7.9", "fixed"), NetworkUpdateFlags.Live | NetworkUpdateFlags.Config);
        Assert.Contains(StaticHosts(network.GetXmlDescription()), h => h == ("52:54:00:aa:bb:cc", "10.254.7.9"));

        network.Update(NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpHost, -1,
            NetworkXml.DhcpHost("52:54:00:aa:bb:cc", "10.254.7.9", "fixed"), NetworkUpdateFlags.Live | NetworkUpdateFlags.Config);
        Assert.Empty(StaticHosts(network.GetXmlDescription()));

        network.Destroy();
        await events.Reader.WaitForAsync(e => e.Uuid == uuid && e.Type == NetworkEventType.Stopped, "stopped");
        Assert.False(network.IsActive);

        network.Undefine();
        await events.Reader.WaitForAsync(e => e.Uuid == uuid && e.Type == NetworkEventType.Undefined, "undefined");
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupNetworkByUuid(uuid));
        Assert.Equal(ErrorCode.NoNetwork, error.ErrorCode);
    }

    [Fact]
    public void A_transient_network_disappears_when_destroyed()
    {
        string name = NewName();
        using Network network = _connection.CreateTransientNetwork(NetworkXml.Isolated(name, 8));
        Assert.True(network.IsActive);
        Assert.False(network.IsPersistent);
        network.Destroy();
        Assert.Equal(ErrorCode.NoNetwork, Assert.Throws<LibvirtException>(() => _connection.LookupNetworkByName(name)).ErrorCode);
    }

    [Fact]
    public void Invalid_network_xml_throws_an_xml_error()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.DefineNetwork("<network><name>x</name>"));
        Assert.Equal(ErrorCode.XmlDetail, error.ErrorCode);
    }

    [Fact]
    public async Task A_disposed_network_subscription_receives_nothing()
    {
        var disposedEvents = Channel.CreateUnbounded<NetworkLifecycleEvent>();
        var liveEvents = Channel.CreateUnbounded<NetworkLifecycleEvent>();
        _connection.SubscribeNetworkLifecycle(disposedEvents.Writer).Dispose();
        using var live = _connection.SubscribeNetworkLifecycle(liveEvents.Writer);

        using Network network = _connection.DefineNetwork(NetworkXml.Isolated(NewName(), 9));
        await liveEvents.Reader.WaitForAsync(e => e.Uuid == network.Uuid, "defined");
        Assert.False(disposedEvents.Reader.TryRead(out _));
    }

    [Fact]
    public void Lists_host_interfaces()
    {
        var interfaces = _connection.ListAllInterfaces();
        HostInterfaceDescription eth1 = Assert.Single(interfaces, i => i.Name == "eth1");
        Assert.Equal("aa:bb:cc:dd:ee:ff", eth1.Mac);
        Assert.True(eth1.IsActive);
        Assert.Equal("eth1", (string?)XElement.Parse(eth1.Xml).Attribute("name"));
        Assert.Contains(_connection.ListAllInterfaces(ListAllInterfacesFlags.Active), i => i.Name == "eth1");
    }

    [Fact]
    public void Lists_node_devices()
    {
        var devices = _connection.ListAllNodeDevices();
        Assert.NotEmpty(devices);
        Assert.All(devices, d => Assert.Equal("device", XElement.Parse(d.Xml).Name.LocalName));
        Assert.All(_connection.ListAllNodeDevices(ListAllNodeDevicesFlags.Net),
            d => Assert.NotNull(XElement.Parse(d.Xml).Elements("capability").SingleOrDefault(c => (string?)c.Attribute("type") == "net")));
    }

    [Fact]
    public void The_test_domain_reports_interface_addresses()
    {
        using Domain test = _connection.LookupDomainByName("test");
        var interfaces = test.GetInterfaceAddresses(InterfaceAddressSource.Lease);
        DomainInterfaceAddresses first = Assert.Single(interfaces);
        Assert.False(string.IsNullOrEmpty(first.HardwareAddress));
        Assert.NotEmpty(first.Addresses);
        Assert.All(first.Addresses, a => Assert.True(System.Net.IPAddress.TryParse(a.Address, out _)));
    }

    private string NewName()
    {
        string name = DomainXml.UniqueName("kvmportal-test-net-");
        _names.Add(name);
        return name;
    }

    private static List<(string? Mac, string? Ip)> StaticHosts(string xml) =>
        XElement.Parse(xml).Descendants("host").Where(h => h.Parent?.Name == "dhcp")
            .Select(h => ((string?)h.Attribute("mac"), (string?)h.Attribute("ip"))).ToList();
}
