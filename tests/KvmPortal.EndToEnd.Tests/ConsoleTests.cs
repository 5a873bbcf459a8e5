using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>The demo VM's VNC console through the dashboard's own proxy, in a real browser.</summary>
public sealed class ConsoleTests
{
    private const string DemoVm = "kvmportal-demo";

    [Fact]
    public async Task TheDemoVmsScreenShowsInTheBrowser()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            await page.Locator($"[data-vm='{DemoVm}'] [data-testid=vm-console]").ClickAsync();

            await Expect(page.Locator("[data-testid=console-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await WaitForLitScreenAsync(page);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-console-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    [Fact]
    public async Task TheVmPageShowsAThumbnailOfTheRunningScreen()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
            await page.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), detail).ToString());

            // The script loads the PNG once the thumbnail is on screen: a decoded image of the guest's screen size.
            await Expect(page.Locator("[data-testid=vm-screenshot]")).ToHaveAttributeAsync("data-has-screen", "true");
            await page.WaitForFunctionAsync("""
                () => {
                    const image = document.querySelector('[data-testid=vm-screenshot] img');
                    return image && image.complete && image.naturalWidth >= 320 && !image.classList.contains('vm-screenshot-failed');
                }
                """, null, new() { Timeout = 30_000 });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-thumbnail-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    [Fact]
    public async Task TheRegistryShowsAnOpenConsoleAndAnAdministratorCanDisconnectIt()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var console = browser.Page;
        await DemoVmTests.LogInAsync(console, portal);
        var detail = await console.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
        await console.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), detail + "/console").ToString());
        var status = console.Locator("[data-testid=console-status]");
        await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

        var registry = await console.Context.NewPageAsync();
        await registry.GotoAsync(portal.BaseUrl + "/consoles");
        var row = registry.Locator($"[data-testid=console-sessions-open] [data-console-session='{DemoVm}']");
        await Expect(row).ToContainTextAsync("admin", new() { Timeout = 30_000 });
        await row.Locator("[data-testid=console-session-disconnect]").ClickAsync();
        await registry.Locator(".mud-dialog button", new() { HasTextString = "Disconnect" }).ClickAsync();

        await Expect(status).ToHaveAttributeAsync("data-state", "disconnected", new() { Timeout = 30_000 });
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(registry.Locator("[data-testid=console-sessions-recent]"))
            .ToContainTextAsync("disconnected by an administrator", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task TheProxyAuthenticatesWithTheGraphicsPasswordItself()
    {
        var name = "kvmportal-test-vncpw-" + Guid.NewGuid().ToString("N")[..8];
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("vcpu", 1),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm")),
            new XElement("devices",
                new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("autoport", "yes"),
                    new XAttribute("listen", "127.0.0.1"), new XAttribute("passwd", "s3cret!")),
                new XElement("video", new XElement("model", new XAttribute("type", "vga"))))).Save(xml);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await Virsh.RunAsync("create", xml);
            await DemoVmTests.LogInAsync(page, portal);
            var link = page.Locator($"[data-vm='{name}'] a").First;
            await Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), await link.GetAttributeAsync("href") + "/console").ToString());

            await Expect(page.Locator("[data-testid=console-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            Assert.DoesNotContain("s3cret!", await page.ContentAsync());
        }
        finally
        {
            try { await Virsh.RunAsync("destroy", name); } catch (InvalidOperationException) { }
            File.Delete(xml);
        }
    }

    [Fact]
    public async Task TheProxyRefusesWithoutLoginForeignOriginsAndBadTickets()
    {
        await using var portal = await RunningPortal.StartAsync();
        var proxy = new Uri(portal.BaseUrl.Replace("http://", "ws://") + "/consoles/vnc?ticket=forged");

        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleProxyClient.HandshakeStatusAsync(proxy, cookie: null, origin: portal.BaseUrl));

        await using var browser = await BrowserSession.StartAsync();
        await DemoVmTests.LogInAsync(browser.Page, portal);
        var cookies = await browser.Page.Context.CookiesAsync();
        var cookie = string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));

        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(proxy, cookie, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(proxy, cookie, origin: portal.BaseUrl));
        await portal.WaitForOutputAsync(new Regex("Console ticket refused for user .*: Unknown"));
    }

    [Fact]
    public async Task AViewOnlySessionCannotTypeEvenWithACraftedClient()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
            var cookie = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

            // The page asks for a view-only ticket; keep it from noVNC and use it from a client of our own.
            var viewOnly = await ConsoleProxyClient.CaptureTicketUrlAsync(page, portal, detail + "/console?mode=view", "/consoles/vnc");
            await TypeAsync(viewOnly, cookie, portal.BaseUrl, "poweroff\n");
            await Task.Delay(TimeSpan.FromSeconds(8)); // an observation window: nothing may happen in it
            Assert.Equal("running", await Virsh.RunAsync("domstate", DemoVm));

            // The same keys through a full session do reach the guest, so the test would have seen them.
            var full = await ConsoleProxyClient.CaptureTicketUrlAsync(page, portal, detail + "/console", "/consoles/vnc");
            await TypeAsync(full, cookie, portal.BaseUrl, "poweroff\n");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (await Virsh.RunAsync("domstate", DemoVm) != "shut off")
            {
                Assert.True(DateTime.UtcNow < deadline, "the full session's keystrokes did not power the guest off");
                await Task.Delay(250);
            }
        }
        finally
        {
            if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        }
    }

    /// <summary>Waits for the noVNC canvas to show the guest's screen: its text console is white on black, so some pixel is lit.</summary>
    internal static Task WaitForLitScreenAsync(IPage page) => page.WaitForFunctionAsync("""
        () => {
            const canvas = document.querySelector('[data-testid=vnc-screen] canvas');
            if (!canvas || canvas.width === 0) return false;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4) if (data[i] > 64 || data[i + 1] > 64 || data[i + 2] > 64) return true;
            return false;
        }
        """, null, new() { Timeout = 30_000 });

    /// <summary>Speaks RFB like noVNC would and types <paramref name="text"/> as key presses.</summary>
    private static async Task TypeAsync(Uri proxy, string cookie, string origin, string text)
    {
        using var socket = await ConsoleProxyClient.ConnectAsync(proxy, cookie, origin);
        await using var rfb = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);

        var buffer = new byte[12];
        await rfb.ReadExactlyAsync(buffer);                      // server version
        await rfb.WriteAsync("RFB 003.008\n"u8.ToArray());
        await rfb.ReadExactlyAsync(buffer.AsMemory(0, 2));       // one security type: None
        await rfb.WriteAsync(new byte[] { 1 });
        await rfb.ReadExactlyAsync(buffer.AsMemory(0, 4));       // SecurityResult OK
        await rfb.WriteAsync(new byte[] { 1 });                  // ClientInit: shared
        var serverInit = new byte[24];                           // size, pixel format, name length
        await rfb.ReadExactlyAsync(serverInit);
        await rfb.ReadExactlyAsync(new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20))]);
        foreach (var c in text)
        {
            var keysym = c == '\n' ? 0xff0du : c;
            foreach (var down in new byte[] { 1, 0 })
            {
                var key = new byte[8];
                key[0] = 4;
                key[1] = down;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), keysym);
                await rfb.WriteAsync(key);
            }
        }
        // A framebuffer update request answered means the server has read everything sent before it.
        await rfb.WriteAsync(new byte[] { 3, 1, 0, 0, 0, 0, 0, 16, 0, 16 });
        var reply = new byte[1];
        await rfb.ReadExactlyAsync(reply);
        Assert.Equal(0, reply[0]); // FramebufferUpdate
    }
}
