namespace KvmPortal.Hypervisor.Storage;

public static class IsoImages
{
    /// <summary>An ISO image: libvirt reports the "iso" format, or, in pools that do not probe, the file name says so.</summary>
    public static bool Is(string name, string? format) =>
        format == "iso" || name.EndsWith(".iso", StringComparison.OrdinalIgnoreCase);
}
