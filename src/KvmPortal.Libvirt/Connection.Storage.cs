using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>Storage pools and volumes of a connection.</summary>
public sealed unsafe partial class Connection
{
    public IReadOnlyList<StoragePool> ListAllStoragePools(ListAllStoragePoolsFlags flags = ListAllStoragePoolsFlags.None)
    {
        int count = NativeMethods.virConnectListAllStoragePools(Handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var pools = new List<StoragePool>(count);
            for (int i = 0; i < count; i++)
            {
                pools.Add(new StoragePool(this, new StoragePoolHandle(((nint*)array)[i])));
            }
            return pools;
        }
        finally
        {
            NativeMemory.Free((void*)array); // malloc'd by libvirt
        }
    }

    /// <summary>Looks a pool up by name; a missing one throws with <see cref="ErrorCode.NoStoragePool"/>.</summary>
    public StoragePool LookupStoragePoolByName(string name) =>
        StoragePool.Wrap(this, NativeMethods.virStoragePoolLookupByName(Handle, name));

    /// <summary>Defines a persistent (inactive) pool from its XML.</summary>
    public StoragePool DefineStoragePool(string xml, DefineStoragePoolFlags flags = DefineStoragePoolFlags.None) =>
        StoragePool.Wrap(this, NativeMethods.virStoragePoolDefineXML(Handle, xml, (uint)flags));

    /// <summary>
    /// Looks a volume up by its path on the host; a path no active pool knows throws with
    /// <see cref="ErrorCode.NoStorageVol"/>.
    /// </summary>
    public StorageVolume LookupStorageVolumeByPath(string path) =>
        StorageVolume.Wrap(this, NativeMethods.virStorageVolLookupByPath(Handle, path));

    /// <summary>
    /// The pool types this host's libvirt supports and their formats (virConnectGetStoragePoolCapabilities,
    /// libvirt 5.2 and later), as XML: &lt;storagepoolCapabilities&gt;&lt;pool type='dir' supported='yes'&gt;...
    /// </summary>
    public string GetStoragePoolCapabilities() =>
        NativeMethods.virConnectGetStoragePoolCapabilities(Handle, 0) ?? throw LibvirtException.FromLastError();

    /// <summary>A new blocking stream on this connection, for volume uploads and downloads.</summary>
    public Stream NewStream() => Stream.Create(this);
}
