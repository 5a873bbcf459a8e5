using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-stream.h and the storage calls that use streams or copy volumes.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virStreamNew")]
    internal static partial StreamHandle virStreamNew(ConnectionHandle conn, uint flags);

    [LibraryImport(Library, EntryPoint = "virStreamFree")]
    internal static partial int virStreamFree(nint stream);

    [LibraryImport(Library, EntryPoint = "virStreamSend")]
    internal static partial int virStreamSend(StreamHandle stream, byte* data, nuint nbytes);

    [LibraryImport(Library, EntryPoint = "virStreamRecv")]
    internal static partial int virStreamRecv(StreamHandle stream, byte* data, nuint nbytes);

    [LibraryImport(Library, EntryPoint = "virStreamFinish")]
    internal static partial int virStreamFinish(StreamHandle stream);

    [LibraryImport(Library, EntryPoint = "virStreamAbort")]
    internal static partial int virStreamAbort(StreamHandle stream);

    [LibraryImport(Library, EntryPoint = "virStorageVolUpload")]
    internal static partial int virStorageVolUpload(StorageVolumeHandle vol, StreamHandle stream, ulong offset, ulong length, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolDownload")]
    internal static partial int virStorageVolDownload(StorageVolumeHandle vol, StreamHandle stream, ulong offset, ulong length, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolResize")]
    internal static partial int virStorageVolResize(StorageVolumeHandle vol, ulong capacity, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolWipe")]
    internal static partial int virStorageVolWipe(StorageVolumeHandle vol, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolWipePattern")]
    internal static partial int virStorageVolWipePattern(StorageVolumeHandle vol, uint algorithm, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolCreateXMLFrom", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolumeHandle virStorageVolCreateXMLFrom(StoragePoolHandle pool, string xmlDesc, StorageVolumeHandle clonevol, uint flags);

    // owned string (caller frees): the string return frees it
    [LibraryImport(Library, EntryPoint = "virConnectGetStoragePoolCapabilities", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virConnectGetStoragePoolCapabilities(ConnectionHandle conn, uint flags);
}
