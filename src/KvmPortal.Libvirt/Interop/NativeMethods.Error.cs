using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>virterror.h: the thread-local last error.</summary>
internal static unsafe partial class NativeMethods
{
    // Borrowed thread-local virErrorPtr, NULL when no error is set.
    [LibraryImport(Library, EntryPoint = "virGetLastError")]
    internal static partial VirError* virGetLastError();

    // handler: virErrorFunc (void (*)(void *userData, virErrorPtr error))
    [LibraryImport(Library, EntryPoint = "virSetErrorFunc")]
    internal static partial void virSetErrorFunc(nint userData, nint handler);
}
