using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>The demo VM's serial console (a shell on ttyS0) through the dashboard's proxy, in a real browser.</summary>
public sealed class SerialConsoleTests
{
    private const string DemoVm = "kvmportal-demo";
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    [Fact]
    public async Task TypingInTheSerialConsoleRunsCommandsAndAViewOnlyTabOnlyWatches()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
            await page.Locator($"[data-vm='{DemoVm}'] [data-testid=vm-serial-console]").ClickAsync();
            await Expect(page.Locator("[data-testid=serial-status]")).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);

            // The shell evaluates $((n+1)): the terminal shows that number only if the command really ran.
            var first = Random.Shared.Next(1000, 1_000_000);
            await TypeCommandAsync(page, $"echo kvmportal-$(({first}+1))");
            await Expect(Rows(page)).ToContainTextAsync($"kvmportal-{first + 1}", Soon);

            var watcher = await page.Context.NewPageAsync();
            await watcher.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), detail + "/serial?mode=view").ToString());
            await Expect(watcher.Locator("[data-testid=serial-status]")).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);

            var second = first + 7;
            await TypeCommandAsync(page, $"echo kvmportal-$(({second}+1))");
            await Expect(Rows(watcher)).ToContainTextAsync($"kvmportal-{second + 1}", Soon);

            // The watcher's page sends no keys; a crafted client with a view-only ticket does, and the proxy drops them.
            var viewOnly = await ConsoleProxyClient.CaptureTicketUrlAsync(watcher, portal, detail + "/serial?mode=view", "/consoles/serial");
            var dropped = first + 13;
            await SendAndCloseAsync(viewOnly, await ConsoleProxyClient.CookieAsync(page), portal.BaseUrl, $"\recho kvmportal-dropped-$(({dropped}+1))\r");
            // Closing waited for the proxy to finish with the input, so a command typed now runs after it would have.
            var after = first + 21;
            await TypeCommandAsync(page, $"echo kvmportal-$(({after}+1))");
            await Expect(Rows(page)).ToContainTextAsync($"kvmportal-{after + 1}", Soon);
            Assert.DoesNotContain($"kvmportal-dropped-{dropped + 1}", await Rows(page).InnerTextAsync());
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-serial-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    [Fact]
    public async Task TheSerialProxyRefusesWithoutLoginForeignOriginsAndBadReusedOrVncTickets()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        var forged = new Uri(portal.BaseUrl.Replace("http://", "ws://") + "/consoles/serial?ticket=forged");

        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleProxyClient.HandshakeStatusAsync(forged, cookie: null, origin: portal.BaseUrl));

        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await DemoVmTests.LogInAsync(page, portal);
        var cookie = await ConsoleProxyClient.CookieAsync(page);
        var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");

        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(forged, cookie, origin: portal.BaseUrl));
        await portal.WaitForOutputAsync(new Regex("Console ticket refused for user .*: Unknown"));

        var serial = await ConsoleProxyClient.CaptureTicketUrlAsync(page, portal, detail + "/serial", "/consoles/serial");
        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(serial, cookie, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await ConsoleProxyClient.HandshakeStatusAsync(serial, cookie, origin: portal.BaseUrl));
        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(serial, cookie, origin: portal.BaseUrl));
        await portal.WaitForOutputAsync(new Regex("Console ticket refused for user .*: AlreadyUsed"));

        var vnc = await ConsoleProxyClient.CaptureTicketUrlAsync(page, portal, detail + "/console", "/consoles/vnc");
        var vncTicketAtSerial = new UriBuilder(vnc) { Path = "/consoles/serial" }.Uri;
        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(vncTicketAtSerial, cookie, origin: portal.BaseUrl));
        await portal.WaitForOutputAsync(new Regex("Console ticket refused for user .*: not a Serial ticket"));
    }

    private static ILocator Rows(IPage page) => page.Locator("[data-testid=serial-terminal] .xterm-rows");

    private static async Task TypeCommandAsync(IPage page, string command)
    {
        await page.Locator("[data-testid=serial-terminal]").ClickAsync();
        await page.Keyboard.TypeAsync(command);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Sends <paramref name="text"/> as a client of our own, then closes and waits for the proxy's close.</summary>
    private static async Task SendAndCloseAsync(Uri proxy, string cookie, string origin, string text)
    {
        using var socket = await ConsoleProxyClient.ConnectAsync(proxy, cookie, origin);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var buffer = new byte[4096];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await socket.ReceiveAsync(buffer, patience.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
    }
}
