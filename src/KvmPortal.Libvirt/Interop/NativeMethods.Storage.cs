using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-storage.h: storage pools and volumes.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virStoragePoolFree")]
    internal static partial int virStoragePoolFree(nint pool);

    [LibraryImport(Library, EntryPoint = "virStorageVolFree")]
    internal static partial int virStorageVolFree(nint vol);

    // pools: out virStoragePoolPtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virConnectListAllStoragePools")]
    internal static partial int virConnectListAllStoragePools(ConnectionHandle conn, out nint pools, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StoragePoolHandle virStoragePoolLookupByName(ConnectionHandle conn, string name);

    [LibraryImport(Library, EntryPoint = "virStoragePoolLookupByVolume")]
    internal static partial StoragePoolHandle virStoragePoolLookupByVolume(StorageVolumeHandle vol);

    [LibraryImport(Library, EntryPoint = "virStoragePoolDefineXML", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StoragePoolHandle virStoragePoolDefineXML(ConnectionHandle conn, string xmlDesc, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolBuild")]
    internal static partial int virStoragePoolBuild(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolCreate")]
    internal static partial int virStoragePoolCreate(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolDestroy")]
    internal static partial int virStoragePoolDestroy(StoragePoolHandle pool);

    [LibraryImport(Library, EntryPoint = "virStoragePoolDelete")]
    internal static partial int virStoragePoolDelete(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolUndefine")]
    internal static partial int virStoragePoolUndefine(StoragePoolHandle pool);

    [LibraryImport(Library, EntryPoint = "virStoragePoolRefresh")]
    internal static partial int virStoragePoolRefresh(StoragePoolHandle pool, uint flags);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virStoragePoolGetName")]
    internal static partial nint virStoragePoolGetName(StoragePoolHandle pool);

    // buf must hold VIR_UUID_STRING_BUFLEN bytes
    [LibraryImport(Library, EntryPoint = "virStoragePoolGetUUIDString")]
    internal static partial int virStoragePoolGetUUIDString(StoragePoolHandle pool, byte* buf);

    [LibraryImport(Library, EntryPoint = "virStoragePoolGetInfo")]
    internal static partial int virStoragePoolGetInfo(StoragePoolHandle pool, out VirStoragePoolInfo info);

    // owned
    [LibraryImport(Library, EntryPoint = "virStoragePoolGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virStoragePoolGetXMLDesc(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library, EntryPoint = "virStoragePoolGetAutostart")]
    internal static partial int virStoragePoolGetAutostart(StoragePoolHandle pool, out int autostart);

    [LibraryImport(Library, EntryPoint = "virStoragePoolSetAutostart")]
    internal static partial int virStoragePoolSetAutostart(StoragePoolHandle pool, int autostart);

    [LibraryImport(Library, EntryPoint = "virStoragePoolIsActive")]
    internal static partial int virStoragePoolIsActive(StoragePoolHandle pool);

    [LibraryImport(Library, EntryPoint = "virStoragePoolIsPersistent")]
    internal static partial int virStoragePoolIsPersistent(StoragePoolHandle pool);

    // vols: out virStorageVolPtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virStoragePoolListAllVolumes")]
    internal static partial int virStoragePoolListAllVolumes(StoragePoolHandle pool, out nint vols, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolumeHandle virStorageVolLookupByName(StoragePoolHandle pool, string name);

    [LibraryImport(Library, EntryPoint = "virStorageVolLookupByPath", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolumeHandle virStorageVolLookupByPath(ConnectionHandle conn, string path);

    [LibraryImport(Library, EntryPoint = "virStorageVolCreateXML", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolumeHandle virStorageVolCreateXML(StoragePoolHandle pool, string xmlDesc, uint flags);

    [LibraryImport(Library, EntryPoint = "virStorageVolDelete")]
    internal static partial int virStorageVolDelete(StorageVolumeHandle vol, uint flags);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virStorageVolGetName")]
    internal static partial nint virStorageVolGetName(StorageVolumeHandle vol);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virStorageVolGetKey")]
    internal static partial nint virStorageVolGetKey(StorageVolumeHandle vol);

    [LibraryImport(Library, EntryPoint = "virStorageVolGetInfo")]
    internal static partial int virStorageVolGetInfo(StorageVolumeHandle vol, out VirStorageVolInfo info);

    // owned
    [LibraryImport(Library, EntryPoint = "virStorageVolGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virStorageVolGetXMLDesc(StorageVolumeHandle vol, uint flags);

    // owned
    [LibraryImport(Library, EntryPoint = "virStorageVolGetPath", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virStorageVolGetPath(StorageVolumeHandle vol);
}
