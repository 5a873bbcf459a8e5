using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Tests.Fakes;

namespace KvmPortal.Web.Tests.Components.Networks;

/// <summary>The form's logic without rendering.</summary>
public sealed class NetworkFormViewModelTests
{
    [Theory]
    [InlineData("Enter a name for the network.", NetworkField.Name)]
    [InlineData("A network named 'x' already exists on this host.", NetworkField.Name)]
    [InlineData("The subnet 10.0.0.0/24 overlaps 10.0.0.0/16 of network 'a' on this host.", NetworkField.Ipv4)]
    [InlineData("The subnet fd00::/64 overlaps fd00::/48 of network 'a' on this host.", NetworkField.Ipv6)]
    [InlineData("Bridge mode needs the name of an existing host bridge (e.g. br0).", NetworkField.Bridge)]
    [InlineData("A macvtap (direct) network needs the host interface to attach to.", NetworkField.HostInterface)]
    [InlineData("The IPv6 DHCP range needs an IPv6 address for the network.", NetworkField.Ipv6)]
    [InlineData("The DHCP range 10.0.0.1 - 10.0.0.9 includes the host's own address 10.0.0.1.", NetworkField.Dhcp)]
    [InlineData("'zz' is not a MAC address (six hex pairs such as 52:54:00:12:34:56).", NetworkField.DhcpHosts)]
    [InlineData("The static address 10.0.0.1 (for 52:54:00:00:00:01) is the host's own address.", NetworkField.DhcpHosts)]
    [InlineData("'a b' (DNS entry for 10.0.0.5) is not a valid host name.", NetworkField.Dns)]
    [InlineData("The MTU must be between 68 and 65535.", NetworkField.Mtu)]
    [InlineData("A NAT network needs an IPv4 address and prefix.", NetworkField.Ipv4)]
    [InlineData("10.0.0.0 is the network or broadcast address of 10.0.0.0/24; the host needs an address inside it.", NetworkField.Ipv4)]
    public void Problems_are_sorted_to_their_field(string problem, NetworkField field) =>
        Assert.Equal(field, NetworkFormViewModel.FieldOf(problem));

    [Fact]
    public void Fields_hidden_by_the_mode_are_left_out_of_the_spec()
    {
        var form = new NetworkFormViewModel(new RecordingNetworkOperations());
        form.Spec.Name = " lan ";
        form.Spec.Ipv4Address = "10.0.0.1";
        form.Spec.DnsDomain = "lab.example";
        form.Spec.Mtu = 9000;
        form.Spec.HostInterface = "eth0";
        form.Spec.BridgeName = "br0";
        form.DhcpHosts.Add(new DhcpHostRow { Mac = "52:54:00:00:00:01", Ip = "10.0.0.5" });
        form.Spec.Mode = NetworkForwardMode.Bridge;

        var spec = form.BuildSpec();

        Assert.Equal(("lan", "br0", null, null, null, null), (spec.Name, spec.BridgeName, spec.HostInterface, spec.Ipv4Address, spec.DnsDomain, spec.Mtu));
        Assert.Empty(spec.DhcpHosts);
        Assert.Empty(NetworkSpecValidator.Validate(spec, NetworkValidationContext.None));
    }

    [Fact]
    public async Task Without_a_host_the_review_asks_for_one()
    {
        var form = new NetworkFormViewModel(new RecordingNetworkOperations());

        Assert.False(await form.ReviewAsync());

        Assert.Equal([NetworkFormViewModel.HostMissing], form.ProblemsOf(NetworkField.Host));
    }
}
