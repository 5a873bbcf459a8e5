using Bunit;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components.Networks;

public sealed class NetworkListTests : BunitHarness
{
    [Fact]
    public void Rows_show_each_hosts_networks_with_their_columns()
    {
        using var _ = new CultureScope("en");
        var alpha = Inventory.AddHost("alpha");
        var beta = Inventory.AddHost("beta");
        Inventory.Push(new NetworkChanged(NetworkTestData.Nat(alpha, "lab")), new NetworkChanged(NetworkTestData.Nat(beta, "office", "10.0.5.1/24", active: false)));

        var list = Context.Render<NetworkList>();

        var lab = list.Find("[data-host=alpha] tr[data-network=lab]");
        Assert.Equal("NAT", lab.QuerySelector("[data-testid=network-mode]")!.TextContent.Trim());
        Assert.Equal("192.168.100.1/24", lab.QuerySelector("[data-testid=network-ipv4]")!.TextContent.Trim());
        Assert.Equal("192.168.100.10 – 192.168.100.200", lab.QuerySelector("[data-testid=network-dhcp]")!.TextContent.Trim());
        Assert.Equal("2", lab.QuerySelector("[data-testid=network-vms]")!.TextContent.Trim());
        Assert.Contains("virbr9", lab.TextContent);
        Assert.Equal("active", lab.QuerySelector("[data-testid=network-state]")!.GetAttribute("data-state"));
        Assert.Equal("inactive", list.Find("[data-host=beta] tr[data-network=office] [data-testid=network-state]").GetAttribute("data-state"));
        Assert.Empty(list.FindAll("[data-host=alpha] tr[data-network=office]"));
    }

    [Fact]
    public void Pushed_changes_add_update_and_remove_rows()
    {
        var host = Inventory.AddHost("alpha");
        var list = Context.Render<NetworkList>();
        list.WaitForAssertion(() => Assert.Equal(1, Inventory.SubscriberCount));
        Assert.NotEmpty(list.FindAll("[data-testid=network-empty]"));

        var lab = NetworkTestData.Nat(host, "lab");
        Inventory.Push(new NetworkChanged(lab));
        list.WaitForAssertion(() => Assert.Equal("active", list.Find("tr[data-network=lab] [data-testid=network-state]").GetAttribute("data-state")));
        Assert.NotEmpty(list.FindAll("tr[data-network=lab] [data-testid=network-stop]"));

        Inventory.Push(new NetworkChanged(lab with { Active = false, Autostart = true }));
        list.WaitForAssertion(() => Assert.Equal("inactive", list.Find("tr[data-network=lab] [data-testid=network-state]").GetAttribute("data-state")));
        Assert.NotEmpty(list.FindAll("tr[data-network=lab] [data-testid=network-start]"));

        Inventory.Push(new NetworkRemoved(lab.Key));
        list.WaitForAssertion(() => Assert.Empty(list.FindAll("tr[data-network=lab]")));
    }

    [Fact]
    public void Delete_asks_first_then_calls_the_service()
    {
        var host = Inventory.AddHost("alpha");
        var lab = NetworkTestData.Nat(host, "lab");
        Inventory.Push(new NetworkChanged(lab));
        var list = Context.Render<NetworkList>();

        list.Find("tr[data-network=lab] [data-testid=network-delete]").Click();
        Assert.Empty(Networks.Calls);
        Dialogs.WaitForElement("[data-testid=confirm]").Click();

        list.WaitForAssertion(() => Assert.Equal([$"delete {lab.Uuid}"], Networks.Calls));
    }

    [Fact]
    public void Start_needs_no_confirmation_and_errors_are_shown_in_chinese_beside_libvirts_text()
    {
        using var _ = new CultureScope("zh-Hans");
        var host = Inventory.AddHost("alpha");
        Inventory.Push(new NetworkChanged(NetworkTestData.Nat(host, "lab", active: false)));
        Networks.Failure = new KvmPortal.Hypervisor.HypervisorException("Start lab: host alpha did not answer.", "Cannot recv data")
        {
            Kind = KvmPortal.Hypervisor.HypervisorErrorKind.HostNotAnswering,
            Arguments = ["alpha"],
        };
        var list = Context.Render<NetworkList>();

        Assert.Equal("虚拟网络", list.Find("h1").TextContent.Trim());
        list.Find("tr[data-network=lab] [data-testid=network-start]").Click();

        Snackbars.WaitForAssertion(() => Assert.Contains("启动 lab：主机 alpha 没有响应。", Snackbars.Markup));
        Assert.Contains("Cannot recv data", Snackbars.Markup);
    }

    [Fact]
    public void The_host_interfaces_panel_lists_the_hosts_interfaces_when_opened()
    {
        var host = Inventory.AddHost("alpha");
        Networks.Interfaces.Add(new HostInterfaceInfo("br0", "bridge", "52:54:00:aa:bb:cc", true, ["192.0.2.10/24"], ["eth0"]));
        Networks.Interfaces.Add(new HostInterfaceInfo("eth0", "ethernet", "52:54:00:aa:bb:cd", true, [], []));
        var list = Context.Render<NetworkList>();

        list.Find("[data-host=alpha] [data-testid=host-interfaces] .mud-expand-panel-header").Click();

        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-host=alpha] tr[data-interface]").Count));
        Assert.Contains("192.0.2.10/24", list.Find("tr[data-interface=br0]").TextContent);
        Assert.Contains("eth0", list.Find("tr[data-interface=br0]").TextContent);
    }
}
