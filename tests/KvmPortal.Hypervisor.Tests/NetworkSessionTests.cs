using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Networks through the service layer on libvirt's test driver. Its state is shared by every open test:///default
/// connection, so each test uses its own network name and subnet and only reads "default".
/// </summary>
public sealed class NetworkSessionTests
{
    [Fact]
    public async Task TheDefaultNetworkIsInTheInventory()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");

        var snapshot = await hypervisor.Live.WaitForNetworkAsync(host, "default", _ => true, "listed");

        var network = snapshot.Network(host, "default");
        Assert.Equal(NetworkForwardMode.Nat, network.Mode);
        Assert.Equal("virbr0", network.Bridge);
        Assert.Equal("192.168.122.0/24", network.Ipv4Cidr);
        Assert.Equal(("192.168.122.2", "192.168.122.254"), (network.DhcpStart, network.DhcpEnd));
        Assert.True(network.Active);
        Assert.True(network.Persistent);
    }

    [Fact]
    public async Task CreateEditStopStartAndDeleteShowUpInTheInventory()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var name = "kvmportal-test-net-" + Guid.NewGuid().ToString("N")[..8];
        var spec = new NetworkSpec
        {
            Name = name,
            Mode = NetworkForwardMode.Isolated,
            Ipv4Address = "10.253.11.1",
            DhcpStart = "10.253.11.100",
            DhcpEnd = "10.253.11.150",
            Autostart = true,
        };
        Assert.Contains($"<name>{name}</name>", hypervisor.Networks.PreviewXml(spec));
        Assert.Empty(await hypervisor.Networks.ValidateAsync(host.Id, spec));

        var key = await hypervisor.Networks.CreateAsync(host.Id, spec);
        try
        {
            var created = (await hypervisor.Live.WaitForNetworkAsync(host, name, n => n.Active, "active")).Networks[key];
            Assert.Equal(NetworkForwardMode.Isolated, created.Mode);
            Assert.True(created.Autostart);
            Assert.Equal("10.253.11.0/24", created.Ipv4Cidr);

            await hypervisor.Networks.AddDhcpHostAsync(key, new DhcpHostSpec("52:54:00:11:22:33", "10.253.11.5", "fixed"));
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => n.DhcpHosts.Contains(new DhcpHostSpec("52:54:00:11:22:33", "10.253.11.5", "fixed")), "static host");
            Assert.Contains("52:54:00:11:22:33", await hypervisor.Networks.GetXmlAsync(key));

            var refused = await Assert.ThrowsAsync<NetworkValidationException>(
                () => hypervisor.Networks.AddDhcpHostAsync(key, new DhcpHostSpec("52:54:00:11:22:33", "10.253.12.5")));
            Assert.Equal(2, refused.Problems.Count);

            await hypervisor.Networks.SetDhcpRangeAsync(key, "10.253.11.20", "10.253.11.30");
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => n.DhcpStart == "10.253.11.20" && n.DhcpEnd == "10.253.11.30", "new range");

            await hypervisor.Networks.RemoveDhcpHostAsync(key, "52:54:00:11:22:33");
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => n.DhcpHosts.Count == 0, "static host removed");

            await hypervisor.Networks.StopAsync(key);
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => !n.Active, "stopped");
            await hypervisor.Networks.SetAutostartAsync(key, false);
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => !n.Autostart, "no autostart");
            await hypervisor.Networks.StartAsync(key);
            await hypervisor.Live.WaitForNetworkAsync(host, name, n => n.Active, "started again");

            await hypervisor.Networks.DeleteAsync(key);
            await hypervisor.Live.WaitForAsync(s => !s.Networks.ContainsKey(key), "deleted network to disappear");
        }
        finally
        {
            await DeleteQuietly(hypervisor, key);
        }
    }

    [Fact]
    public async Task AnOverlappingSubnetIsRefusedNamingTheOtherNetwork()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var spec = new NetworkSpec { Name = "kvmportal-test-net-" + Guid.NewGuid().ToString("N")[..8], Mode = NetworkForwardMode.Nat, Ipv4Address = "192.168.122.129", Ipv4Prefix = 25 };

        var problem = Assert.Single(await hypervisor.Networks.ValidateAsync(host.Id, spec));
        Assert.Contains("network 'default'", problem.Message);
        var refused = await Assert.ThrowsAsync<NetworkValidationException>(() => hypervisor.Networks.CreateAsync(host.Id, spec));
        Assert.Contains("network 'default'", Assert.Single(refused.Problems).Message);
        Assert.DoesNotContain(hypervisor.Live.Current.Networks.Values, n => n.Name == spec.Name);
    }

    [Fact]
    public async Task AMissingNetworkGivesAClearError()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Networks.StartAsync(new NetworkKey(host.Id, Guid.NewGuid())));

        Assert.Contains("no longer exists", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.LibvirtMessage));
    }

    [Fact]
    public async Task HostInterfacesAreListed()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        var eth1 = Assert.Single(await hypervisor.Networks.GetHostInterfacesAsync(host.Id), i => i.Name == "eth1");

        Assert.Equal("ethernet", eth1.Type);
        Assert.Equal("aa:bb:cc:dd:ee:ff", eth1.Mac);
        Assert.Equal(["192.168.0.5/24"], eth1.Addresses);
    }

    [Fact]
    public async Task RemovingAHostRemovesItsNetworks()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForNetworkAsync(host, "default", _ => true, "listed");

        await hypervisor.Hosts.DetachAsync(host.Id);

        Assert.DoesNotContain(hypervisor.Live.Current.Networks.Values, n => n.HostId == host.Id);
    }

    internal static async Task DeleteQuietly(HypervisorHarness hypervisor, NetworkKey key)
    {
        try
        {
            await hypervisor.Networks.DeleteAsync(key);
        }
        catch (HypervisorException)
        {
            // Already gone.
        }
    }
}
