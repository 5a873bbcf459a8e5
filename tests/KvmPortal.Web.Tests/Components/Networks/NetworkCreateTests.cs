using System.Net;
using AngleSharp.Dom;
using Bunit;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components.Networks;

public sealed class NetworkCreateTests : BunitHarness
{
    private static IElement Input(IRenderedComponent<NetworkCreate> form, string id) =>
        form.Find($"input[data-testid={id}], [data-testid={id}] input");

    private static bool Shows(IRenderedComponent<NetworkCreate> form, string field) => form.FindAll($"[data-testid=field-{field}]").Count > 0;

    private IRenderedComponent<NetworkCreate> RenderForm()
    {
        Inventory.AddHost("alpha");
        var form = Context.Render<NetworkCreate>();
        form.WaitForAssertion(() => Assert.Equal(1, Inventory.SubscriberCount));
        return form;
    }

    [Fact]
    public void Each_mode_shows_its_own_fields()
    {
        using var _ = new CultureScope("en");
        var form = RenderForm();

        // NAT (the default): addresses, DHCP, DNS, MTU, its own bridge name, an optional way out.
        Assert.True(Shows(form, "ipv4") && Shows(form, "dhcp") && Shows(form, "dhcp-hosts") && Shows(form, "ipv6") && Shows(form, "dns") && Shows(form, "mtu"));
        Assert.True(Shows(form, "own-bridge") && Shows(form, "host-interface"));
        Assert.False(Shows(form, "host-bridge") || Shows(form, "direct-mode"));

        form.Find("[data-testid=mode-isolated]").Click();
        Assert.True(Shows(form, "ipv4") && Shows(form, "own-bridge"));
        Assert.False(Shows(form, "host-interface"));

        form.Find("[data-testid=mode-bridge]").Click();
        Assert.True(Shows(form, "host-bridge"));
        Assert.False(Shows(form, "ipv4") || Shows(form, "dhcp") || Shows(form, "dns") || Shows(form, "mtu") || Shows(form, "own-bridge"));
        Assert.Equal("true", form.Find("[data-testid=mode-bridge]").GetAttribute("aria-pressed"));

        form.Find("[data-testid=mode-direct]").Click();
        Assert.True(Shows(form, "host-interface") && Shows(form, "direct-mode"));
        Assert.False(Shows(form, "ipv4") || Shows(form, "host-bridge"));
    }

    [Fact]
    public void Every_problem_is_shown_at_once_under_its_field()
    {
        using var _ = new CultureScope("en");
        var form = RenderForm();
        Networks.Existing.Add(new ExistingNetwork("default", [IPNetwork.Parse("192.168.122.0/24")]));

        Input(form, "network-name-input").Change("bad name!");
        Input(form, "network-ipv4-input").Change("192.168.122.1");
        Input(form, "network-dhcp-start").Change("192.168.122.100");
        Input(form, "network-dhcp-end").Change("192.168.122.50");
        Input(form, "network-mtu").Change("20");
        form.Find("[data-testid=network-review]").Click();

        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=network-problems]")));
        Assert.Contains("not a valid network name", form.Find("[data-testid=problem-name]").TextContent);
        Assert.Contains("overlaps 192.168.122.0/24 of network 'default'", form.Find("[data-testid=problem-ipv4]").TextContent);
        Assert.Contains("starts (192.168.122.100) after it ends", form.Find("[data-testid=problem-dhcp]").TextContent);
        Assert.Contains("MTU", form.Find("[data-testid=problem-mtu]").TextContent);
        Assert.Empty(form.FindAll("[data-testid=problem-other]"));
        Assert.Empty(form.FindAll("[data-testid=network-preview]"));
        Assert.Empty(Networks.Created);
    }

    [Fact]
    public void A_bridge_network_without_a_bridge_is_refused_at_the_bridge_field()
    {
        var form = RenderForm();
        Input(form, "network-name-input").Change("lan");
        form.Find("[data-testid=mode-bridge]").Click();

        form.Find("[data-testid=network-review]").Click();

        form.WaitForAssertion(() => Assert.Contains("existing host bridge", form.Find("[data-testid=problem-bridge]").TextContent));
    }

    [Fact]
    public void A_valid_form_shows_the_xml_and_defining_creates_the_spec()
    {
        var form = RenderForm();
        Input(form, "network-name-input").Change("lab");
        Input(form, "network-ipv4-input").Change("10.253.7.1");
        Input(form, "network-dhcp-start").Change("10.253.7.10");
        Input(form, "network-dhcp-end").Change("10.253.7.99");
        form.Find("[data-testid=dhcp-host-add]").Click();
        Input(form, "dhcp-host-mac").Change("52:54:00:00:00:07");
        Input(form, "dhcp-host-ip").Change("10.253.7.7");
        Input(form, "dhcp-host-name").Change("seven");
        Input(form, "network-dns-domain").Change("lab.example");

        form.Find("[data-testid=network-review]").Click();

        var xml = form.WaitForElement("[data-testid=network-preview-xml]").TextContent;
        Assert.Contains("<name>lab</name>", xml);
        Assert.Contains("10.253.7.7", xml);
        Assert.Contains("lab.example", xml);

        form.Find("[data-testid=network-define]").Click();

        form.WaitForAssertion(() => Assert.Single(Networks.Created));
        var spec = Networks.Created.Single();
        Assert.Equal(("lab", NetworkForwardMode.Nat, "10.253.7.1", 24), (spec.Name, spec.Mode, spec.Ipv4Address, spec.Ipv4Prefix));
        Assert.Equal([new DhcpHostSpec("52:54:00:00:00:07", "10.253.7.7", "seven")], spec.DhcpHosts);
        Assert.Null(spec.BridgeName);
    }

    [Fact]
    public void Editing_after_the_preview_hides_it_until_checked_again()
    {
        var form = RenderForm();
        Input(form, "network-name-input").Change("iso");
        form.Find("[data-testid=mode-isolated]").Click();
        form.Find("[data-testid=network-review]").Click();
        form.WaitForElement("[data-testid=network-preview]");

        Input(form, "network-name-input").Change("iso2");

        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=network-preview]")));
    }

    [Fact]
    public void In_simplified_chinese_the_form_speaks_chinese()
    {
        using var _ = new CultureScope("zh-Hans");
        var form = RenderForm();

        Assert.Equal("新建虚拟网络", form.Find("h1").TextContent.Trim());
        Assert.Equal("隔离", form.Find("[data-testid=mode-isolated]").TextContent.Trim());
        Assert.Equal("检查并显示 XML", form.Find("[data-testid=network-review]").TextContent.Trim());
    }

    [Fact]
    public void In_simplified_chinese_the_problems_are_chinese()
    {
        using var _ = new CultureScope("zh-Hans");
        var form = RenderForm();
        Networks.Existing.Add(new ExistingNetwork("default", [IPNetwork.Parse("192.168.122.0/24")]));

        Input(form, "network-name-input").Change("bad name!");
        Input(form, "network-ipv4-input").Change("192.168.122.1");
        Input(form, "network-mtu").Change("20");
        form.Find("[data-testid=network-review]").Click();

        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=network-problems]")));
        Assert.Equal("“bad name!”不是有效的网络名称：最多 50 个字母、数字、“-”、“_”和“.”，并以字母或数字开头。",
            form.Find("[data-testid=problem-name]").TextContent.Trim());
        Assert.Equal("子网 192.168.122.0/24 与此主机上网络“default”的 192.168.122.0/24 重叠。", form.Find("[data-testid=problem-ipv4]").TextContent.Trim());
        Assert.Equal("MTU 必须在 68 到 65535 之间。", form.Find("[data-testid=problem-mtu]").TextContent.Trim());
    }
}
