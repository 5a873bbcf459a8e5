using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
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
        Assert.Matches(new Regex("Console ticket refused for user .*: Unknown"), portal.Output);
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
