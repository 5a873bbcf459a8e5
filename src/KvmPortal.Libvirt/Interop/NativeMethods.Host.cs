using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-host.h: connections and the node.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "libvirt.so.0";

    [LibraryImport(Library, EntryPoint = "virInitialize")]
    internal static partial int virInitialize();

    [LibraryImport(Library, EntryPoint = "virConnectOpenAuth", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ConnectionHandle virConnectOpenAuth(string name, nint auth, uint flags);

    [LibraryImport(Library, EntryPoint = "virConnectClose")]
    internal static partial int virConnectClose(nint conn);

    // owned
    [LibraryImport(Library, EntryPoint = "virConnectGetURI", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virConnectGetURI(ConnectionHandle conn);

    // owned
    [LibraryImport(Library, EntryPoint = "virConnectGetHostname", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virConnectGetHostname(ConnectionHandle conn);

    // owned
    [LibraryImport(Library, EntryPoint = "virConnectGetCapabilities", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virConnectGetCapabilities(ConnectionHandle conn);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virConnectGetType")]
    internal static partial nint virConnectGetType(ConnectionHandle conn);

    [LibraryImport(Library, EntryPoint = "virConnectGetLibVersion")]
    internal static partial int virConnectGetLibVersion(ConnectionHandle conn, out ulong libVer);

    [LibraryImport(Library, EntryPoint = "virConnectGetVersion")]
    internal static partial int virConnectGetVersion(ConnectionHandle conn, out ulong hvVer);

    [LibraryImport(Library, EntryPoint = "virNodeGetInfo")]
    internal static partial int virNodeGetInfo(ConnectionHandle conn, out VirNodeInfo info);

    // params: caller-allocated array of nparams entries; with params NULL and nparams 0, nparams gets the count.
    [LibraryImport(Library, EntryPoint = "virNodeGetCPUStats")]
    internal static partial int virNodeGetCPUStats(ConnectionHandle conn, int cpuNum, VirNodeStatsEntry* @params, ref int nparams, uint flags);

    // As virNodeGetCPUStats, for memory (values in KiB).
    [LibraryImport(Library, EntryPoint = "virNodeGetMemoryStats")]
    internal static partial int virNodeGetMemoryStats(ConnectionHandle conn, int cellNum, VirNodeStatsEntry* @params, ref int nparams, uint flags);

    [LibraryImport(Library, EntryPoint = "virConnectIsAlive")]
    internal static partial int virConnectIsAlive(ConnectionHandle conn);

    [LibraryImport(Library, EntryPoint = "virConnectSetKeepAlive")]
    internal static partial int virConnectSetKeepAlive(ConnectionHandle conn, int interval, uint count);

    // cb: virConnectCloseFunc, freecb: virFreeCallback (may be null)
    [LibraryImport(Library, EntryPoint = "virConnectRegisterCloseCallback")]
    internal static partial int virConnectRegisterCloseCallback(ConnectionHandle conn, nint cb, nint opaque, nint freecb);

    // Takes the raw pointer because it is also called from ConnectionHandle.ReleaseHandle.
    [LibraryImport(Library, EntryPoint = "virConnectUnregisterCloseCallback")]
    internal static partial int virConnectUnregisterCloseCallback(nint conn, nint cb);

    /// <summary>
    /// The value of the exported variable virConnectAuthPtrDefault (a virConnectAuthPtr), which is not a
    /// function and so cannot be imported with LibraryImport. It never changes, so it is read once.
    /// </summary>
    internal static readonly nint ConnectAuthPtrDefault = ReadConnectAuthPtrDefault();

    private static nint ReadConnectAuthPtrDefault()
    {
        nint library = NativeLibrary.Load(Library, typeof(NativeMethods).Assembly, null);
        nint variable = NativeLibrary.GetExport(library, "virConnectAuthPtrDefault");
        return *(nint*)variable;
    }
}
