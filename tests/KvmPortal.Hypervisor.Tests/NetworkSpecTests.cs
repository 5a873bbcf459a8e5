using System.Xml.Linq;
using KvmPortal.Hypervisor.Networks;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The network spec validator, the XML builder and the reader, without libvirt.</summary>
public sealed class NetworkSpecTests
{
    private static readonly ExistingNetwork Default = new("default", [System.Net.IPNetwork.Parse("192.168.122.0/24")]);

    private static NetworkSpec Nat() => new()
    {
        Name = "lab",
        Mode = NetworkForwardMode.Nat,
        Ipv4Address = "10.20.30.1",
        Ipv4Prefix = 24,
        DhcpStart = "10.20.30.100",
        DhcpEnd = "10.20.30.200",
        DhcpHosts = [new("52:54:00:00:00:01", "10.20.30.10", "web")],
        DnsDomain = "lab.example",
        DnsHosts = [new("10.20.30.10", ["web", "www"])],
        Mtu = 9000,
    };

    [Fact]
    public void AGoodNatSpecHasNoProblems() =>
        Assert.Empty(NetworkSpecValidator.Validate(Nat(), new([Default])));

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var spec = Nat();
        spec.Name = "bad/name";
        spec.DhcpStart = "10.20.31.5";
        spec.DhcpEnd = "10.20.30.50";
        spec.DhcpHosts = [new("52:54:00:00:00:01", "10.20.30.10"), new("52:54:00:00:00:01", "10.20.30.11"), new("zz:54:00:00:00:02", "10.9.9.9"), new("01:00:5e:00:00:01", "10.20.30.12")];
        spec.Mtu = 20;

        var problems = NetworkSpecValidator.Validate(spec, new([Default]));

        Assert.Contains(problems, p => p.Message.Contains("not a valid network name"));
        Assert.Contains(problems, p => p.Message.Contains("10.20.31.5") && p.Message.Contains("not a usable address"));
        Assert.Contains(problems, p => p.Message.Contains("more than one static DHCP entry") && p.Message.Contains("52:54:00:00:00:01"));
        Assert.Contains(problems, p => p.Message.Contains("'zz:54:00:00:00:02' is not a MAC address"));
        Assert.Contains(problems, p => p.Message.Contains("10.9.9.9") && p.Message.Contains("not a usable address"));
        Assert.Contains(problems, p => p.Message.Contains("multicast"));
        Assert.Contains(problems, p => p.Message.Contains("MTU"));
        Assert.True(problems.Count >= 7, string.Join("\n", problems.Select(p => p.Message)));
    }

    [Fact]
    public void ARangeThatStartsAfterItEndsIsRefused()
    {
        var spec = Nat();
        spec.DhcpStart = "10.20.30.200";
        spec.DhcpEnd = "10.20.30.100";
        Assert.Contains(NetworkSpecValidator.Validate(spec, NetworkValidationContext.None), p => p.Message.Contains("starts (10.20.30.200) after it ends (10.20.30.100)"));
    }

    [Fact]
    public void AnOverlappingSubnetNamesTheOtherNetwork()
    {
        var spec = Nat();
        spec.Ipv4Address = "192.168.0.1";
        spec.Ipv4Prefix = 16;
        spec.DhcpStart = spec.DhcpEnd = null;
        spec.DhcpHosts = [];
        spec.DnsHosts = [];

        var problem = Assert.Single(NetworkSpecValidator.Validate(spec, new([Default, new("other", [System.Net.IPNetwork.Parse("10.0.0.0/8")])])));

        Assert.Equal("The subnet 192.168.0.0/16 overlaps 192.168.122.0/24 of network 'default' on this host.", problem.Message);
    }

    [Fact]
    public void ANameInUseIsRefused() =>
        Assert.Contains(NetworkSpecValidator.Validate(new NetworkSpec { Name = "default", Mode = NetworkForwardMode.Isolated }, new([Default])),
            p => p.Message.Contains("already exists"));

    [Fact]
    public void BridgeAndDirectModesNeedTheirHostDeviceAndHaveNoAddresses()
    {
        var bridge = new NetworkSpec { Name = "br", Mode = NetworkForwardMode.Bridge, Ipv4Address = "10.1.1.1" };
        var problems = NetworkSpecValidator.Validate(bridge, new([], new HashSet<string> { "eth0" }));
        Assert.Contains(problems, p => p.Message.Contains("existing host bridge"));
        Assert.Contains(problems, p => p.Message.Contains("no addresses"));

        var direct = new NetworkSpec { Name = "mv", Mode = NetworkForwardMode.Direct, HostInterface = "eth9" };
        Assert.Contains(NetworkSpecValidator.Validate(direct, new([], new HashSet<string> { "eth0" })), p => p.Message.Contains("no interface named 'eth9'"));
        direct.HostInterface = "eth0";
        Assert.Empty(NetworkSpecValidator.Validate(direct, new([], new HashSet<string> { "eth0" })));
    }

    [Fact]
    public void NatNeedsAnAddressButIsolatedDoesNot()
    {
        Assert.Contains(NetworkSpecValidator.Validate(new NetworkSpec { Name = "n", Mode = NetworkForwardMode.Nat }, NetworkValidationContext.None),
            p => p.Message.Contains("needs an IPv4 address"));
        Assert.Empty(NetworkSpecValidator.Validate(new NetworkSpec { Name = "i", Mode = NetworkForwardMode.Isolated }, NetworkValidationContext.None));
    }

    [Fact]
    public void Ipv6IsCheckedToo()
    {
        var spec = Nat();
        spec.Ipv6Address = "fd00:1::1";
        spec.Ipv6Prefix = 64;
        spec.Ipv6DhcpStart = "fd00:1::100";
        spec.Ipv6DhcpEnd = "fd00:2::1";
        Assert.Contains(NetworkSpecValidator.Validate(spec, NetworkValidationContext.None), p => p.Message.Contains("fd00:2::1") && p.Message.Contains("IPv6 DHCP range"));
        spec.Ipv6DhcpEnd = "fd00:1::1ff";
        Assert.Empty(NetworkSpecValidator.Validate(spec, NetworkValidationContext.None));
    }

    [Fact]
    public void TheBuilderWritesTheNatNetworkAndTheReaderReadsItBack()
    {
        var spec = Nat();
        spec.Ipv6Address = "fd00:1::1";
        spec.Ipv6DhcpStart = "fd00:1::100";
        spec.Ipv6DhcpEnd = "fd00:1::1ff";
        spec.HostInterface = "eth0";
        var xml = NetworkXmlBuilder.BuildElement(spec);

        Assert.Equal("nat", (string?)xml.Element("forward")!.Attribute("mode"));
        Assert.Equal("eth0", (string?)xml.Element("forward")!.Attribute("dev"));
        Assert.Equal("9000", (string?)xml.Element("mtu")!.Attribute("size"));
        Assert.Equal("web", xml.Element("dns")!.Element("host")!.Elements("hostname").First().Value);

        var uuid = Guid.NewGuid();
        xml.AddFirst(new XElement("uuid", uuid));
        var info = NetworkXmlReader.Read(Guid.Empty, xml.ToString(), active: true, autostart: false, persistent: true, attachedVms: 2);

        Assert.Equal(uuid, info.Uuid);
        Assert.Equal("lab", info.Name);
        Assert.Equal(NetworkForwardMode.Nat, info.Mode);
        Assert.Equal("10.20.30.0/24", info.Ipv4Cidr);
        Assert.Equal("10.20.30.1", info.Ipv4Address);
        Assert.Equal("fd00:1::/64", info.Ipv6Cidr);
        Assert.Equal(("10.20.30.100", "10.20.30.200"), (info.DhcpStart, info.DhcpEnd));
        Assert.Equal(("fd00:1::100", "fd00:1::1ff"), (info.Ipv6DhcpStart, info.Ipv6DhcpEnd));
        Assert.Equal([new DhcpHostSpec("52:54:00:00:00:01", "10.20.30.10", "web")], info.DhcpHosts);
        Assert.Equal("lab.example", info.DnsDomain);
        Assert.Equal(9000, info.Mtu);
        Assert.Equal("eth0", info.HostInterface);
        Assert.Equal(2, info.AttachedVms);
        Assert.Equal(info, NetworkXmlReader.Read(Guid.Empty, xml.ToString(), true, false, true, 2)); // value equality, lists included
    }

    [Theory]
    [InlineData(NetworkForwardMode.Isolated, null, "<network><name>x</name><bridge stp=\"on\" delay=\"0\" /></network>")]
    [InlineData(NetworkForwardMode.Bridge, null, "<network><name>x</name><forward mode=\"bridge\" /><bridge name=\"br0\" /></network>")]
    [InlineData(NetworkForwardMode.Direct, DirectMode.Vepa, "<network><name>x</name><forward mode=\"vepa\"><interface dev=\"eth0\" /></forward></network>")]
    public void EachModeHasItsShape(NetworkForwardMode mode, DirectMode? direct, string expected)
    {
        var spec = new NetworkSpec { Name = "x", Mode = mode, DirectMode = direct ?? DirectMode.Bridge, BridgeName = mode == NetworkForwardMode.Bridge ? "br0" : null, HostInterface = "eth0" };
        Assert.Equal(expected, NetworkXmlBuilder.BuildElement(spec).ToString(SaveOptions.DisableFormatting));
        var info = NetworkXmlReader.Read(Guid.Empty, NetworkXmlBuilder.BuildElement(spec).ToString().Replace("<name>x</name>", $"<name>x</name><uuid>{Guid.NewGuid()}</uuid>"), false, false, true, 0);
        Assert.Equal(mode, info.Mode);
        Assert.Equal(direct, info.DirectMode);
    }

    [Fact]
    public void AHostileNameIsJustText()
    {
        const string name = "a'/><forward mode=\"nat\"/>";
        var xml = NetworkXmlBuilder.BuildElement(new NetworkSpec { Name = name, Mode = NetworkForwardMode.Isolated });
        Assert.Equal(name, xml.Element("name")!.Value);
        Assert.Null(xml.Element("forward"));
    }

    [Fact]
    public void TheReaderUnderstandsNetmasksAsInTheDefaultNetwork()
    {
        const string xml = """
            <network><name>default</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid><forward mode='nat'/>
            <bridge name='virbr0' stp='on' delay='0'/>
            <ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>
            """;
        var info = NetworkXmlReader.Read(Guid.Empty, xml, true, false, true, 0);
        Assert.Equal("192.168.122.0/24", info.Ipv4Cidr);
        Assert.Equal("virbr0", info.Bridge);
        Assert.Equal([System.Net.IPNetwork.Parse("192.168.122.0/24")], NetworkXmlReader.Subnets(xml));
    }

    [Fact]
    public void ValueListsCompareByContent()
    {
        Assert.Equal(new ValueList<int>([1, 2]), new ValueList<int>([1, 2]));
        Assert.NotEqual(new ValueList<int>([1, 2]), new ValueList<int>([2, 1]));
        var vm = new Vms.VmInfo(Guid.Empty, Guid.Empty, "v", Vms.VmState.Running, 1, 1, null, null, true);
        Assert.Equal(vm with { Addresses = new ValueList<VmAddress>([new("10.0.0.2", 24, null, VmAddressSource.Lease)]) },
            vm with { Addresses = new ValueList<VmAddress>([new("10.0.0.2", 24, null, VmAddressSource.Lease)]) });
        Assert.Empty(vm.Addresses);
    }
}
