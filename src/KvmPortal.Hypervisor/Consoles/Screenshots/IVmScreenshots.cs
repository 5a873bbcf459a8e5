using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>A picture of a running VM's screen as a PNG, taken at <paramref name="TakenAt"/>.</summary>
public sealed record VmScreenshot(byte[] Png, int Width, int Height, DateTimeOffset TakenAt);

/// <summary>Screenshots of VMs' screens (virDomainScreenshot), shared briefly among everyone who asks.</summary>
public interface IVmScreenshots
{
    /// <summary>
    /// The VM's first screen, at most <see cref="VmScreens.ScreenshotFreshFor"/> old. A VM that is not running has no screen:
    /// <see cref="HypervisorException"/> of kind <see cref="HypervisorErrorKind.InvalidState"/>.
    /// </summary>
    Task<VmScreenshot> CaptureAsync(VmKey vm, CancellationToken cancellationToken = default);
}
