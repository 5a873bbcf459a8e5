using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The storage page end to end: define, build and start a dir pool from the per-type form (after seeing its XML),
/// then upload an ISO from the browser with the progress bar, and check on the host that the bytes arrived.
/// </summary>
public sealed class StorageTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task CreateAPoolAndUploadAnIsoWithProgress()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var poolName = "kvmportal-test-pool-" + suffix;
        var poolPath = "/var/lib/libvirt/images/kvmportal-test-" + suffix;
        var iso = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await page.GotoAsync(portal.BaseUrl + "/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
            await page.Locator("[data-testid=login-user]").FillAsync(portal.AdminUser);
            await page.Locator("[data-testid=login-password]").FillAsync(portal.AdminPassword);
            await page.Locator("[data-testid=login-submit]").ClickAsync();
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));

            await page.GotoAsync(portal.BaseUrl + "/storage");
            await page.WaitUntilInteractiveAsync();
            // The first host is chosen once the circuit is live; its pools include libvirt's default one or none at all.
            var newPool = page.Locator("[data-testid=pool-new]");
            await Expect(newPool).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await newPool.ClickAsync();
            await page.Locator("[data-testid=pool-name] input, input[data-testid=pool-name]").FillAsync(poolName);
            await page.Locator("[data-testid=pool-TargetPath] input, input[data-testid=pool-TargetPath]").FillAsync(poolPath);
            await page.Locator("[data-testid=pool-preview]").ClickAsync();
            await Expect(page.Locator("[data-testid=pool-xml]")).ToContainTextAsync(poolPath, new() { Timeout = 30_000 });
            await page.Locator("[data-testid=pool-define]").ClickAsync();

            var row = page.Locator($"tr[data-pool='{poolName}']");
            await Expect(row).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 30_000 });
            await row.Locator("a").First.ClickAsync();
            await Expect(page.Locator("[data-testid=volume-table]")).ToBeVisibleAsync(Visible);

            await page.Locator("[data-testid=upload-file]").SetInputFilesAsync(new FilePayload
            {
                Name = "installer.iso",
                MimeType = "application/octet-stream",
                Buffer = iso,
            });
            await Expect(page.Locator("[data-testid=upload-name] input, input[data-testid=upload-name]")).ToHaveValueAsync("installer.iso", new() { Timeout = 30_000 });
            await page.Locator("[data-testid=upload-start]").ClickAsync();
            await Expect(page.Locator("[data-testid=upload-progress]")).ToBeVisibleAsync(Visible);
            await Expect(page.Locator("tr[data-volume='installer.iso']")).ToBeVisibleAsync(new() { Timeout = 60_000 });

            var onHost = await File.ReadAllBytesAsync(Path.Combine(poolPath, "installer.iso"));
            Assert.Equal(SHA256.HashData(iso), SHA256.HashData(onHost));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-storage-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            // Stop and undefine the pool; its directory (with the volumes) goes below.
            foreach (var command in new[] { "pool-destroy", "pool-undefine" })
            {
                try
                {
                    await Virsh.RunAsync(command, poolName);
                }
                catch (InvalidOperationException)
                {
                }
            }
            if (Directory.Exists(poolPath)) Directory.Delete(poolPath, recursive: true);
        }
    }
}
