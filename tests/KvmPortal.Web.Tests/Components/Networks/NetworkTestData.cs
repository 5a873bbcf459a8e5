using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Networks;

namespace KvmPortal.Web.Tests.Components.Networks;

internal static class NetworkTestData
{
    public static NetworkInfo Nat(HostInfo host, string name, string cidr = "192.168.100.1/24", bool active = true) =>
        new(host.Id, Guid.NewGuid(), name, NetworkForwardMode.Nat, "virbr9", cidr, null,
            cidr.Replace(".1/24", ".10"), cidr.Replace(".1/24", ".200"), active, false, true, 2)
        {
            Ipv4Address = cidr.Split('/')[0],
        };
}
