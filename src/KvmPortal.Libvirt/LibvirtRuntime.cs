using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>One-time process-wide libvirt setup, run before the first connection.</summary>
internal static unsafe class LibvirtRuntime
{
    static LibvirtRuntime()
    {
        // libvirt asks multithreaded programs to initialize explicitly before using any other API.
        if (NativeMethods.virInitialize() < 0)
        {
            throw LibvirtException.FromLastError();
        }
        // Without a handler libvirt prints every error to stderr; errors are reported through LibvirtException.
        NativeMethods.virSetErrorFunc(0, (nint)(delegate* unmanaged[Cdecl]<nint, nint, void>)&IgnoreError);
    }

    /// <summary>Runs the static constructor once; later calls do nothing.</summary>
    public static void EnsureInitialized()
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreError(nint userData, nint error)
    {
    }
}
