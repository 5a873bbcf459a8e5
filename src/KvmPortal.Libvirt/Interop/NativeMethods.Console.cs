using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>virDomainOpenConsole and the stream event calls a non-blocking console stream is driven by; virDomainScreenshot.</summary>
internal static unsafe partial class NativeMethods
{
    // dev_name may be NULL: the domain's first console or serial device
    [LibraryImport(Library, EntryPoint = "virDomainOpenConsole", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainOpenConsole(DomainHandle domain, string? devName, StreamHandle stream, uint flags);

    // cb: virStreamEventCallback(virStreamPtr, int events, void *opaque); ff: virFreeCallback for opaque
    [LibraryImport(Library, EntryPoint = "virStreamEventAddCallback")]
    internal static partial int virStreamEventAddCallback(StreamHandle stream, int events, nint cb, nint opaque, nint ff);

    [LibraryImport(Library, EntryPoint = "virStreamEventUpdateCallback")]
    internal static partial int virStreamEventUpdateCallback(StreamHandle stream, int events);

    [LibraryImport(Library, EntryPoint = "virStreamEventRemoveCallback")]
    internal static partial int virStreamEventRemoveCallback(StreamHandle stream);

    // owned string (caller frees): the MIME type of the image sent over the stream; the string return frees it
    [LibraryImport(Library, EntryPoint = "virDomainScreenshot", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virDomainScreenshot(DomainHandle domain, StreamHandle stream, uint screen, uint flags);
}
