using System.Net;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components.Networks;

/// <summary>The form's logic without rendering.</summary>
public sealed class NetworkFormViewModelTests
{
    [Theory]
    [InlineData("NetworkNameRequired", NetworkField.Name)]
    [InlineData("NetworkNameTaken", NetworkField.Name)]
    [InlineData("NetworkBridgeRequired", NetworkField.Bridge)]
    [InlineData("NetworkInterfaceRequired", NetworkField.HostInterface)]
    [InlineData("NetworkDhcpNeedsIpv6", NetworkField.Ipv6)]
    [InlineData("NetworkMacInvalid", NetworkField.DhcpHosts)]
    [InlineData("NetworkStaticIpIsHost", NetworkField.DhcpHosts)]
    [InlineData("NetworkDnsNameInvalid", NetworkField.Dns)]
    [InlineData("NetworkMtuRange", NetworkField.Mtu)]
    [InlineData("NetworkIpv4Required", NetworkField.Ipv4)]
    [InlineData("NetworkHostAddressReserved", NetworkField.Ipv4)]
    public void Problems_are_sorted_to_their_field(string key, NetworkField field) =>
        Assert.Contains(ProblemCatalog.All(), p => p.Key == key && NetworkFormViewModel.FieldOf(p) == field);

    [Fact]
    public void Overlaps_and_ranges_go_to_the_address_family_they_concern()
    {
        var context = new NetworkValidationContext([new ExistingNetwork("a", [IPNetwork.Parse("10.0.0.0/16"), IPNetwork.Parse("fd00::/48")])]);
        var spec = new NetworkSpec
        {
            Name = "n", Ipv4Address = "10.0.1.1", DhcpStart = "10.0.1.1", DhcpEnd = "10.0.1.9",
            Ipv6Address = "fd00::1", Ipv6DhcpStart = "fd00::9", Ipv6DhcpEnd = "fd00::2",
        };

        var fields = NetworkSpecValidator.Validate(spec, context).Select(p => (p.Key, NetworkFormViewModel.FieldOf(p))).ToList();

        Assert.Equal(
        [
            ("NetworkRangeHasHost", NetworkField.Dhcp), ("NetworkRangeReversed", NetworkField.Ipv6),
            ("NetworkOverlap", NetworkField.Ipv4), ("NetworkOverlap", NetworkField.Ipv6),
        ], fields);
    }

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
