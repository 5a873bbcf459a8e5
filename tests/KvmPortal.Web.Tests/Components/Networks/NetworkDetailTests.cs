using Bunit;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components.Networks;

public sealed class NetworkDetailTests : BunitHarness
{
    [Fact]
    public void The_lease_table_shows_each_lease_with_its_vm_and_refreshes_on_demand()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        var lab = NetworkTestData.Nat(host, "lab");
        Inventory.Push(new NetworkChanged(lab));
        Networks.Leases.Add(new NetworkLease("52:54:00:00:00:01", "192.168.100.11", 24, false, "web1", DateTimeOffset.UtcNow.AddHours(1), vm.Uuid, "web1"));
        Networks.Xml = "<network><name>lab</name></network>";

        using var _ = new CultureScope("en");
        var page = Context.Render<NetworkDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Name, "lab"));
        page.WaitForAssertion(() => Assert.Contains("leases", Networks.Calls));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "DHCP leases").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=network-leases] tr[data-lease]")));
        var row = page.Find("tr[data-lease='52:54:00:00:00:01']");
        Assert.Contains("192.168.100.11/24", row.TextContent);
        Assert.Equal($"vms/{host.Id}/{vm.Uuid}", row.QuerySelector("[data-testid=lease-vm] a")!.GetAttribute("href"));

        Networks.Leases.Add(new NetworkLease("52:54:00:00:00:02", "192.168.100.12", 24, false, null, DateTimeOffset.UtcNow.AddHours(1), null, null));
        page.Find("[data-testid=leases-refresh]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=network-leases] tr[data-lease]").Count));
    }

    [Fact]
    public void Static_dhcp_hosts_are_added_and_removed_live()
    {
        var host = Inventory.AddHost("alpha");
        var lab = NetworkTestData.Nat(host, "lab") with { };
        Inventory.Push(new NetworkChanged(lab with { DhcpHosts = new ValueList<DhcpHostSpec>([new("52:54:00:00:00:05", "192.168.100.5", "five")]) }));
        var page = Context.Render<NetworkDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Name, "lab"));
        // The range editor starts from the network's current range.
        page.WaitForAssertion(() => Assert.Equal("192.168.100.10",
            page.Find("input[data-testid=range-start], [data-testid=range-start] input").GetAttribute("value")));

        page.Find("input[data-testid=new-dhcp-mac], [data-testid=new-dhcp-mac] input").Change("52:54:00:00:00:06");
        page.Find("input[data-testid=new-dhcp-ip], [data-testid=new-dhcp-ip] input").Change("192.168.100.6");
        page.Find("[data-testid=new-dhcp-add]").Click();
        page.WaitForAssertion(() => Assert.Contains("add-dhcp-host 52:54:00:00:00:06 192.168.100.6 ", Networks.Calls));

        page.Find("tr[data-mac='52:54:00:00:00:05'] [data-testid=dhcp-host-remove]").Click();
        page.WaitForAssertion(() => Assert.Contains("remove-dhcp-host 52:54:00:00:00:05", Networks.Calls));
    }

    [Fact]
    public void A_missing_network_says_so()
    {
        var host = Inventory.AddHost("alpha");
        var page = Context.Render<NetworkDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Name, "nope"));

        Assert.NotEmpty(page.FindAll("[data-testid=network-not-found]"));
    }

    [Fact]
    public void A_pushed_change_updates_the_overview_and_the_range_editor()
    {
        var host = Inventory.AddHost("alpha");
        var lab = NetworkTestData.Nat(host, "lab");
        Inventory.Push(new NetworkChanged(lab));
        var page = Context.Render<NetworkDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Name, "lab"));
        page.WaitForAssertion(() => Assert.Equal(1, Inventory.SubscriberCount));

        Inventory.Push(new NetworkChanged(lab with { DhcpStart = "192.168.100.20" }));

        page.WaitForAssertion(() => Assert.Contains("192.168.100.20 – 192.168.100.200", page.Find("[data-testid=network-overview]").TextContent));
        Assert.Equal("192.168.100.20", page.Find("input[data-testid=range-start], [data-testid=range-start] input").GetAttribute("value"));
    }
}
