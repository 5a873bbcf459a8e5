using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// A real isolated network with DHCP on qemu:///system and the demo guest on it, through the service layer.
/// Only this test's own network and domain (random kvmportal-test-* names) are touched, and always removed.
/// </summary>
public sealed class NetworkQemuTests
{
    private static readonly TimeSpan GuestTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AGuestOnANewIsolatedNetworkGetsALeaseAndItsAddressShowsInTheInventory()
    {
        using var system = TestDomains.OpenSystem();
        var networkName = TestNetworks.NewName();
        var vmName = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(TestDomains.SystemUri);
            var online = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            var octet = TestNetworks.FreeOctet(online, host.Id);
            var spec = new NetworkSpec
            {
                Name = networkName,
                Mode = NetworkForwardMode.Isolated,
                Ipv4Address = $"10.254.{octet}.1",
                Ipv4Prefix = 24,
                DhcpStart = $"10.254.{octet}.100",
                DhcpEnd = $"10.254.{octet}.200",
                DnsDomain = "kvmportal.test",
                DnsHosts = [new DnsHostSpec($"10.254.{octet}.1", ["gateway"])],
            };
            Assert.Empty(await hypervisor.Networks.ValidateAsync(host.Id, spec)); // checks overlaps with every network on the host
            var key = await hypervisor.Networks.CreateAsync(host.Id, spec);
            var network = (await hypervisor.Live.WaitForNetworkAsync(host, networkName, n => n.Active, "active")).Networks[key];
            Assert.StartsWith("virbr", network.Bridge);
            Assert.Equal($"10.254.{octet}.0/24", network.Ipv4Cidr);

            var mac = TestNetworks.RandomMac();
            using (var domain = system.DefineDomain(TestNetworks.DhcpGuestXml(vmName, networkName, mac))) domain.Create();
            await hypervisor.Live.WaitForNetworkAsync(host, networkName, n => n.AttachedVms == 1, "one attached VM");

            var withAddress = await hypervisor.Live.WaitForVmAsync(host, vmName,
                vm => vm.Addresses.Any(a => a.Address.StartsWith($"10.254.{octet}.", StringComparison.Ordinal)), "an address from the lease", GuestTimeout);
            var address = withAddress.Vm(host, vmName).Addresses.Single();
            Assert.Equal((24, mac, VmAddressSource.Lease), (address.Prefix, address.Mac, address.Source));

            var lease = Assert.Single(await hypervisor.Networks.GetLeasesAsync(key));
            Assert.Equal((mac, address.Address, vmName), (lease.Mac, lease.Ip, lease.VmName));
            Assert.Equal(withAddress.Vm(host, vmName).Uuid, lease.VmUuid);
            Assert.True(lease.Expiry > DateTimeOffset.UtcNow);

            var fixedHost = new DhcpHostSpec(TestNetworks.RandomMac(), $"10.254.{octet}.50", "fixed");
            await hypervisor.Networks.AddDhcpHostAsync(key, fixedHost);
            Assert.Contains($"ip='10.254.{octet}.50'", (await hypervisor.Networks.GetXmlAsync(key)).Replace('"', '\''));
            var edited = await hypervisor.Live.WaitForNetworkAsync(host, networkName, n => n.DhcpHosts.Contains(fixedHost), "the static host");
            Assert.True(edited.Networks[key].Active, "a live edit must not stop the network");

            var overlapping = new NetworkSpec { Name = TestNetworks.NewName(), Mode = NetworkForwardMode.Nat, Ipv4Address = $"10.254.{octet}.129", Ipv4Prefix = 25 };
            Assert.Contains(await hypervisor.Networks.ValidateAsync(host.Id, overlapping), p => p.Message.Contains($"network '{networkName}'"));

            using (var domain = system.LookupDomainByName(vmName)) domain.Destroy();
            await hypervisor.Live.WaitForVmAsync(host, vmName, vm => vm.State == VmState.ShutOff && vm.Addresses.Count == 0, "off, without addresses");

            await hypervisor.Networks.StopAsync(key);
            await hypervisor.Live.WaitForNetworkAsync(host, networkName, n => !n.Active, "stopped");
            await hypervisor.Networks.StartAsync(key);
            await hypervisor.Live.WaitForNetworkAsync(host, networkName, n => n.Active, "started again");
            await hypervisor.Networks.DeleteAsync(key);
            await hypervisor.Live.WaitForAsync(s => !s.Networks.ContainsKey(key), "deleted network to disappear");
        }
        finally
        {
            TestDomains.Remove(system, vmName);
            TestNetworks.Remove(system, networkName);
        }
    }
}
