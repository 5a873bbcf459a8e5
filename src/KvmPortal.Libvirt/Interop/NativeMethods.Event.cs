using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-event.h: the default poll-based event loop.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virEventRegisterDefaultImpl")]
    internal static partial int virEventRegisterDefaultImpl();

    [LibraryImport(Library, EntryPoint = "virEventRunDefaultImpl")]
    internal static partial int virEventRunDefaultImpl();
}
