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
            var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
            await page.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), detail + "/console").ToString());

            await Expect(page.Locator("[data-testid=console-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            // The guest's text console is white on black: some pixel of the canvas must be lit.
            await page.WaitForFunctionAsync("""
                () => {
                    const canvas = document.querySelector('[data-testid=vnc-screen] canvas');
                    if (!canvas || canvas.width === 0) return false;
                    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    for (let i = 0; i < data.length; i += 4) if (data[i] > 64 || data[i + 1] > 64 || data[i + 2] > 64) return true;
                    return false;
                }
                """, null, new() { Timeout = 30_000 });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-console-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
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

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(proxy, cookie: null, origin: portal.BaseUrl));

        await using var browser = await BrowserSession.StartAsync();
        await DemoVmTests.LogInAsync(browser.Page, portal);
        var cookies = await browser.Page.Context.CookiesAsync();
        var cookie = string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));

        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeStatusAsync(proxy, cookie, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeStatusAsync(proxy, cookie, origin: portal.BaseUrl));
        await portal.WaitForOutputAsync(new Regex("Console ticket refused for user .*: Unknown"));
    }

    private static async Task<HttpStatusCode> HandshakeStatusAsync(Uri proxy, string? cookie, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        try
        {
            await socket.ConnectAsync(proxy, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }
}
