using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Two users on one VNC console, each in a browser context of their own: the second takes the console over and the
/// first is told who did; a user whose full console right was withdrawn after the page offered the take-over is
/// refused by the server, and the holder keeps the console.
/// </summary>
public sealed class ConsoleTakeOverTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task ASecondUserTakesTheConsoleOverAndOneWithoutTheRightIsRefused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = "kvmportal-test-takeover-" + suffix;
        await using var vm = await ScratchVm.StartAsync(name);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var (holderName, takerName, lateName) = ("holder-" + suffix, "taker-" + suffix, "late-" + suffix);
        await PortalUsers.GrantGloballyAsync(portal, await PortalUsers.CreateAsync(portal, holderName), "Operator");
        await PortalUsers.GrantGloballyAsync(portal, await PortalUsers.CreateAsync(portal, takerName), "HelpDesk");
        var lateId = await PortalUsers.CreateAsync(portal, lateName);
        await PortalUsers.GrantGloballyAsync(portal, lateId, "Operator");
        var holder = browser.Page;
        var late = await browser.NewUserPageAsync();
        var taker = await browser.NewUserPageAsync();
        try
        {
            await LogInAsync(holder, portal, holderName);
            var console = await holder.VmPageUrlAsync(portal, name) + "/console";
            await holder.GotoAsync(console);
            await Expect(Status(holder)).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);

            // The page offers the take-over; the right to it is withdrawn before the click, and the server says no.
            await LogInAsync(late, portal, lateName);
            await late.GotoAsync(console);
            await Expect(late.Locator("[data-testid=console-in-use]")).ToContainTextAsync(holderName, Soon);
            await PortalUsers.GrantGloballyAsync(portal, lateId, "HelpDesk", consoleViewOnly: true);
            await late.Locator("[data-testid=console-take-over]").ClickAsync();
            await Expect(late.Locator("[data-testid=console-refused]")).ToContainTextAsync("You may not take over this console", Soon);
            await Expect(Status(holder)).ToHaveAttributeAsync("data-state", "connected");
            await Expect(holder.Locator("[data-testid=console-taken-over]")).ToHaveCountAsync(0);

            await LogInAsync(taker, portal, takerName);
            await taker.GotoAsync(console);
            await Expect(taker.Locator("[data-testid=console-in-use]")).ToContainTextAsync(holderName, Soon);
            await taker.Locator("[data-testid=console-take-over]").ClickAsync();
            await Expect(Status(taker)).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);
            await Expect(Status(holder)).ToHaveAttributeAsync("data-state", "disconnected", SoonAttribute);
            await Expect(holder.Locator("[data-testid=console-taken-over]")).ToHaveTextAsync($"{takerName} took over this console.", new() { Timeout = 30_000 });

            Assert.Equal([(lateName, false), (takerName, true)], await TakeOverAuditAsync(portal));
        }
        catch
        {
            foreach (var (page, who) in new[] { (holder, "holder"), (late, "late"), (taker, "taker") })
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), $"kvmportal-e2e-takeover-{who}-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    private static ILocator Status(IPage page) => page.Locator("[data-testid=console-status]");

    private static async Task LogInAsync(IPage page, RunningPortal portal, string userName)
    {
        await page.GotoAsync(portal.BaseUrl + "/");
        await DemoVmTests.FillLoginAsync(page, userName, portal.AdminPassword);
        await Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync(userName, new() { Timeout = 30_000 });
        await page.WaitUntilInteractiveAsync();
    }

    /// <summary>The audit log's take-over entries, oldest first: who, and whether it succeeded.</summary>
    private static async Task<List<(string Actor, bool Succeeded)>> TakeOverAuditAsync(RunningPortal portal)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "ActorName", "Succeeded" FROM "AuditLog" WHERE "Action" = 'console.takeover' ORDER BY "Id" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(string, bool)>();
        while (await reader.ReadAsync()) entries.Add((reader.GetString(0), reader.GetBoolean(1)));
        return entries;
    }
}
