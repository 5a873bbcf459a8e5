using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>
/// Takes a VM's screenshot through libvirt (a PNG, or a PPM from older QEMU that is turned into one) and keeps it for
/// <see cref="VmScreens.ScreenshotFreshFor"/> so that thumbnails refreshed by many browsers cost one libvirt call per VM at a time.
/// </summary>
internal sealed class VmScreenshots(HostManager hosts, IInventory inventory, TimeProvider clock) : IVmScreenshots
{
    private readonly ScreenshotCache cache = new(clock, VmScreens.ScreenshotFreshFor);

    public Task<VmScreenshot> CaptureAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        // Refusals come from the inventory, without a call to the host.
        var snapshot = inventory.Current;
        var hostName = snapshot.Hosts.TryGetValue(vm.HostId, out var host) ? host.Name : vm.HostId.ToString();
        var info = snapshot.Vms.GetValueOrDefault(vm)
            ?? throw new HypervisorException($"VM {vm.Uuid} no longer exists on host {hostName}.")
            {
                Kind = HypervisorErrorKind.VmGone,
                Arguments = [hostName],
            };
        if (!VmScreens.HasScreen(info.State))
            throw new HypervisorException($"{info.Name} is not running, so it has no screen to capture.")
            {
                Kind = HypervisorErrorKind.InvalidState,
            };
        var session = HostCalls.Session(hosts, vm.HostId);
        return cache.GetAsync(vm, () => TakeAsync(session, vm, info.Name), cancellationToken);
    }

    private async Task<VmScreenshot> TakeAsync(HostSession session, VmKey vm, string name)
    {
        var shot = await HostCalls.CallAsync(session, new HostCall("vm.screenshot", $"Take a screenshot of {name}", name), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return domain.TakeScreenshot();
        }, CancellationToken.None);
        try
        {
            return ToPng(shot);
        }
        catch (FormatException e)
        {
            throw new HypervisorException($"The screenshot of {name} could not be read: {e.Message}", null, e);
        }
    }

    /// <summary>A PNG is served as it came (checked); a PPM (QEMU before 7.1) is converted.</summary>
    private VmScreenshot ToPng(DomainScreenshot shot)
    {
        switch (shot.MimeType)
        {
            case PngEncoder.MimeType:
                var (width, height) = PngHeader.ReadSize(shot.Data);
                return new VmScreenshot(shot.Data, width, height, clock.GetUtcNow());
            case PpmImage.MimeType:
                var image = PpmImage.Read(shot.Data);
                return new VmScreenshot(PngEncoder.Encode(image), image.Width, image.Height, clock.GetUtcNow());
            default:
                throw new FormatException($"It came as {shot.MimeType}, which the dashboard cannot show.");
        }
    }
}
