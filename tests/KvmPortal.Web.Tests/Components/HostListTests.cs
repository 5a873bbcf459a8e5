using Bunit;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Components.Pages.Hosts;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components;

public sealed class HostListTests : BunitHarness
{
    private static readonly HostCapabilities Caps = new(
        "lab1", "QEMU", "Broadwell", "x86_64", 8, 1, 4, 2, 2400, 16UL << 30, false, "9.0.0", "7.2.0");

    [Fact]
    public void Shows_status_and_capabilities_and_follows_changes()
    {
        var host = Inventory.AddHost("lab1", HostStatus.Connecting);
        var page = Context.Render<HostList>();
        Assert.Equal("Connecting", page.Find("tr[data-host=lab1] [data-testid=host-status]").TextContent.Trim());

        Inventory.Push(new HostChanged(host with { Status = HostStatus.Online, Capabilities = Caps }));
        page.WaitForAssertion(() =>
        {
            var row = page.Find("tr[data-host=lab1]");
            Assert.Equal("Online", row.QuerySelector("[data-testid=host-status]")!.TextContent.Trim());
            Assert.Contains("Broadwell", row.TextContent);
            Assert.Contains("8 CPUs: 1 sockets × 4 cores × 2 threads", row.TextContent);
            Assert.Contains("16.0 GiB", row.TextContent);
            Assert.Contains("Emulation (TCG)", row.TextContent);
            Assert.Contains("libvirt 9.0.0, QEMU 7.2.0", row.TextContent);
        });

        Inventory.Push(new HostChanged(host with { Status = HostStatus.Offline, StatusMessage = "Connection refused" }));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Offline", page.Find("tr[data-host=lab1] [data-testid=host-status]").TextContent.Trim());
            Assert.Equal("Connection refused", page.Find("tr[data-host=lab1] [data-testid=host-status-message]").TextContent.Trim());
        });
    }

    [Fact]
    public void Offline_reasons_are_translated_and_libvirts_text_is_kept()
    {
        using var _ = new CultureScope("zh-Hans");
        var host = Inventory.AddHost("lab1", HostStatus.Offline) with
        {
            StatusMessage = "The host did not answer within 20 s.",
            OfflineReason = HostOfflineReason.ConnectTimeout,
            OfflineArguments = ["20"],
        };
        Inventory.Push(new HostChanged(host));
        var page = Context.Render<HostList>();
        page.WaitForAssertion(() => Assert.Equal("主机在 20 秒内没有响应。",
            page.Find("tr[data-host=lab1] [data-testid=host-status-message]").TextContent.Trim()));

        Inventory.Push(new HostChanged(host with
        {
            StatusMessage = "unable to connect to server at 'kvm9:16509': Connection refused",
            OfflineReason = HostOfflineReason.Libvirt,
            OfflineArguments = [],
        }));
        page.WaitForAssertion(() => Assert.Equal("连接失败。libvirt 报告：unable to connect to server at 'kvm9:16509': Connection refused",
            page.Find("tr[data-host=lab1] [data-testid=host-status-message]").TextContent.Trim()));
    }

    [Fact]
    public void An_invalid_uri_is_reported_inline_without_saving()
    {
        var page = Context.Render<HostList>();

        page.Find("input[data-testid=host-name], [data-testid=host-name] input").Change("lab2");
        page.Find("input[data-testid=host-uri], [data-testid=host-uri] input").Change("qemu+ssh:///system");
        page.Find("[data-testid=host-add]").Click();

        page.WaitForAssertion(() => Assert.Contains("A ssh URI needs a host name, as in qemu+ssh://host/system.", page.Markup));
        Assert.Empty(HostManager.Attached);
    }
}
