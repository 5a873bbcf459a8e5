using KvmPortal.Hypervisor.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Adding a remote host with its credentials in the form, as an administrator would: an SSH host (this machine's
/// libvirtd behind a loopback sshd) with a key and known_hosts pasted, online; its page shows the key's fingerprint,
/// never the key; the demo VM's loopback-only console shows its screen through the SSH tunnel.
/// </summary>
public sealed class RemoteHostTests
{
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_ssh_host_added_with_a_pasted_key_and_known_hosts_comes_online_and_its_page_shows_only_fingerprints()
    {
        using var sshd = new LoopbackSshd();
        // The portal is killed at the end, so it cannot remove its credentials folder itself: the test does.
        var credentials = Directory.CreateTempSubdirectory("kvmportal-e2e-credentials-").FullName;
        try
        {
            await AddAndUseAsync(sshd, credentials);
        }
        finally
        {
            Directory.Delete(credentials, recursive: true);
        }
    }

    private static async Task AddAndUseAsync(LoopbackSshd sshd, string credentialsDirectory)
    {
        await using var portal = await RunningPortal.StartAsync(new Dictionary<string, string> { ["Hypervisor__CredentialsDirectory"] = credentialsDirectory });
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await DemoVmTests.LogInAsync(page, portal);
        await page.GotoAsync(portal.BaseUrl + "/hosts");
        await page.WaitUntilInteractiveAsync();
        var name = "ssh-" + Guid.NewGuid().ToString("N")[..6];

        await page.Field("host-name").FillAsync(name);
        await page.Field("host-uri").FillAsync(sshd.Uri);
        await page.Field("host-uri").BlurAsync();
        await page.Field("ssh-key").FillAsync(sshd.ClientKey);
        await page.Field("ssh-known-hosts").FillAsync(sshd.KnownHostsLine);
        await page.Field("ssh-known-hosts").BlurAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-add-ssh-host.png"), FullPage = true });
        await page.Locator("[data-testid=host-add]").ClickAsync();

        var row = page.Locator($"tr[data-host='{name}']");
        await Expect(row.Locator("[data-testid=host-status]")).ToHaveTextAsync("Online", Soon);
        await row.Locator("[data-testid=host-link]").ClickAsync();
        await page.WaitUntilInteractiveAsync();
        var card = page.Locator("[data-testid=host-credentials]");
        await Expect(card.Locator("[data-testid=host-credentials-ssh-key]")).ToContainTextAsync("ssh-ed25519 SHA256:", new() { Timeout = 30_000 });
        await Expect(card).ToContainTextAsync($"[127.0.0.1]:{sshd.Port} ssh-ed25519 SHA256:");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-ssh-host-page.png"), FullPage = true });
        Assert.DoesNotContain("PRIVATE KEY", await page.ContentAsync());

        // The demo VM's display listens on 127.0.0.1 only: on this host it is reached through the SSH tunnel.
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.WaitUntilInteractiveAsync();
        var vm = page.Locator($"[data-vm='{DemoVm}']", new() { HasText = name });
        await vm.Locator("[data-testid=vm-console]").ClickAsync();
        await ConsoleTests.WaitForTheScreenAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-ssh-console.png") });
    }

    private const string DemoVm = "kvmportal-demo";
}
