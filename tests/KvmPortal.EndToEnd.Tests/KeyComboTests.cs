using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The VNC toolbar's key combinations reach a real guest: Ctrl+Alt+Fn switches its virtual terminal and Ctrl+Alt+Del
/// makes busybox init reboot it. A scratch VM booting the demo kernel takes the keys (the shared demo VM is left
/// alone); its serial console, in a second tab, is how the test looks inside.
/// </summary>
public sealed class KeyComboTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    [Fact]
    public async Task CtrlAltFnSwitchesTheGuestsTerminalAndCtrlAltDelRebootsIt()
    {
        var name = "kvmportal-test-keys-" + Guid.NewGuid().ToString("N")[..8];
        await using var vm = await ScratchVm.StartAsync(name);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var serial = browser.Page;
        var console = await serial.Context.NewPageAsync();
        try
        {
            await DemoVmTests.LogInAsync(serial, portal);
            var detail = await serial.VmPageUrlAsync(portal, name);

            await serial.GotoAsync(detail + "/serial");
            await Expect(serial.Locator("[data-testid=serial-status]")).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);
            var shell = new SerialShell(serial);
            await shell.WaitUntilReadyAsync();
            // Only tty1 exists until something opens the others; the kernel does not switch to a terminal that does not exist.
            await shell.RunAsync("for n in 2 3 4 5 6 7 8 9 10 11 12; do : > /dev/tty$n; done; echo opened-$((6*7))", new Regex("opened-42"));

            await console.GotoAsync(detail + "/console");
            await Expect(console.Locator("[data-testid=console-status]")).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);
            foreach (var n in new[] { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1 })
            {
                await SendComboAsync(console, $"Ctrl+Alt+F{n}");
                await shell.WaitForActiveTerminalAsync(n);
            }

            await shell.RunAsync("clear; echo cleared-$((6*7))", new Regex("cleared-42"));
            await Expect(Rows(serial)).Not.ToContainTextAsync(ScratchVm.Banner);
            await console.Locator("[data-testid=console-ctrl-alt-del]").ClickAsync();
            // busybox init runs /sbin/reboot for Ctrl+Alt+Del; the guest boots again and greets on its serial port.
            await Expect(Rows(serial)).ToContainTextAsync(ScratchVm.Banner, new() { Timeout = 60_000 });
            Assert.Equal("running", await Virsh.RunAsync("domstate", name));
        }
        catch
        {
            await console.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-keys-console-failure.png") });
            await serial.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-keys-serial-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    private static async Task SendComboAsync(IPage console, string label)
    {
        await console.Locator("[data-testid=console-keys] button").First.ClickAsync();
        await console.GetByRole(AriaRole.Menuitem, new() { Name = label, Exact = true }).ClickAsync();
    }

    internal static ILocator Rows(IPage page) => page.Locator("[data-testid=serial-terminal] .xterm-rows");

    /// <summary>The guest's shell on its serial console, typed into and read from the page's terminal.</summary>
    private sealed class SerialShell(IPage page)
    {
        private int nonce;

        /// <summary>Keystrokes sent before the shell runs are lost: ask until it answers.</summary>
        public async Task WaitUntilReadyAsync()
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (true)
            {
                var n = ++nonce;
                await TypeAsync($"echo ready-{n}-$((1+1))");
                try
                {
                    await Expect(Rows(page)).ToContainTextAsync($"ready-{n}-2", new() { Timeout = 5_000 });
                    return;
                }
                catch (PlaywrightException) when (DateTime.UtcNow < deadline)
                {
                }
            }
        }

        public async Task<Match> RunAsync(string command, Regex output)
        {
            await TypeAsync(command);
            await Expect(Rows(page)).ToContainTextAsync(output, new() { Timeout = 30_000 });
            return output.Match(await Rows(page).InnerTextAsync());
        }

        /// <summary>Asks the kernel which virtual terminal is shown until it is tty<paramref name="n"/> (the keys travel asynchronously).</summary>
        public async Task WaitForActiveTerminalAsync(int n)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                var id = ++nonce;
                var answer = await RunAsync($"echo vt-{id}-$(cat /sys/class/tty/tty0/active)-end", new Regex($@"vt-{id}-(tty\d+)-end"));
                if (answer.Groups[1].Value == $"tty{n}") return;
                Assert.True(DateTime.UtcNow < deadline, $"Ctrl+Alt+F{n} did not switch the guest to tty{n}; it shows {answer.Groups[1].Value}");
                await Task.Delay(500);
            }
        }

        private async Task TypeAsync(string command)
        {
            await page.Locator("[data-testid=serial-terminal]").ClickAsync();
            await page.Keyboard.TypeAsync(command);
            await page.Keyboard.PressAsync("Enter");
        }
    }
}
