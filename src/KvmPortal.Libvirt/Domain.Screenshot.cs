using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

public sealed partial class Domain
{
    /// <summary>The largest image accepted (a 4K screen as PPM is 24 MiB); more means something is wrong.</summary>
    private const int MaxScreenshotBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Captures screen <paramref name="screen"/> (0 is the first head) of the running domain (virDomainScreenshot)
    /// and reads the whole image off the stream. The image is ready in full when libvirt starts sending it, so the
    /// blocking stream does not wait on the guest.
    /// </summary>
    public DomainScreenshot TakeScreenshot(uint screen = 0)
    {
        using var stream = Stream.Create(Connection);
        var mimeType = NativeMethods.virDomainScreenshot(_handle, stream.Handle, screen, 0)
            ?? throw LibvirtException.FromLastError();
        using var image = new MemoryStream();
        var buffer = new byte[256 * 1024];
        int received;
        while ((received = stream.Receive(buffer)) > 0)
        {
            if (image.Length + received > MaxScreenshotBytes)
            {
                throw new InvalidOperationException($"The screenshot is larger than {MaxScreenshotBytes} bytes.");
            }
            image.Write(buffer, 0, received);
        }
        stream.Finish();
        return new DomainScreenshot(mimeType, image.ToArray());
    }
}
