using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>A storage pool (virStoragePoolPtr). Keeps the connection it came from.</summary>
public sealed unsafe class StoragePool : IDisposable
{
    private readonly StoragePoolHandle _handle;

    internal StoragePool(Connection connection, StoragePoolHandle handle)
    {
        Connection = connection;
        _handle = handle;
    }

    public Connection Connection { get; }

    public string Name
    {
        get
        {
            nint name = NativeMethods.virStoragePoolGetName(_handle); // borrowed
            return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
        }
    }

    public Guid Uuid
    {
        get
        {
            byte* buffer = stackalloc byte[DomainIdentity.UuidStringLength];
            if (NativeMethods.virStoragePoolGetUUIDString(_handle, buffer) < 0)
            {
                throw LibvirtException.FromLastError();
            }
            return DomainIdentity.ParseUuid(buffer);
        }
    }

    public bool IsActive => Check(NativeMethods.virStoragePoolIsActive(_handle)) == 1;

    public bool IsPersistent => Check(NativeMethods.virStoragePoolIsPersistent(_handle)) == 1;

    public StoragePoolInfo GetInfo()
    {
        if (NativeMethods.virStoragePoolGetInfo(_handle, out VirStoragePoolInfo info) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return new StoragePoolInfo((StoragePoolState)info.State, info.Capacity, info.Allocation, info.Available);
    }

    public string GetXmlDescription(StorageXmlFlags flags = StorageXmlFlags.None) =>
        NativeMethods.virStoragePoolGetXMLDesc(_handle, (uint)flags) ?? throw LibvirtException.FromLastError();

    public bool GetAutostart()
    {
        Check(NativeMethods.virStoragePoolGetAutostart(_handle, out int autostart));
        return autostart != 0;
    }

    public void SetAutostart(bool enabled) => Check(NativeMethods.virStoragePoolSetAutostart(_handle, enabled ? 1 : 0));

    /// <summary>Builds the pool's underlying storage (for a dir pool: creates the directory).</summary>
    public void Build(StoragePoolBuildFlags flags = StoragePoolBuildFlags.New) =>
        Check(NativeMethods.virStoragePoolBuild(_handle, (uint)flags));

    /// <summary>Starts (activates) a defined pool.</summary>
    public void Create(StoragePoolCreateFlags flags = StoragePoolCreateFlags.None) =>
        Check(NativeMethods.virStoragePoolCreate(_handle, (uint)flags));

    /// <summary>Stops the pool; its volumes and data stay.</summary>
    public void Destroy() => Check(NativeMethods.virStoragePoolDestroy(_handle));

    /// <summary>Deletes the pool's underlying storage (for a dir pool: removes the empty directory).</summary>
    public void Delete(StoragePoolDeleteFlags flags = StoragePoolDeleteFlags.Normal) =>
        Check(NativeMethods.virStoragePoolDelete(_handle, (uint)flags));

    /// <summary>Removes the persistent definition of an inactive pool.</summary>
    public void Undefine() => Check(NativeMethods.virStoragePoolUndefine(_handle));

    /// <summary>Re-reads the pool's volumes and sizes from the storage.</summary>
    public void Refresh() => Check(NativeMethods.virStoragePoolRefresh(_handle, 0));

    public IReadOnlyList<StorageVolume> ListAllVolumes()
    {
        int count = NativeMethods.virStoragePoolListAllVolumes(_handle, out nint array, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var volumes = new List<StorageVolume>(count);
            for (int i = 0; i < count; i++)
            {
                volumes.Add(new StorageVolume(Connection, new StorageVolumeHandle(((nint*)array)[i])));
            }
            return volumes;
        }
        finally
        {
            NativeMemory.Free((void*)array); // malloc'd by libvirt
        }
    }

    /// <summary>Looks a volume of this pool up by name; a missing one throws with <see cref="ErrorCode.NoStorageVol"/>.</summary>
    public StorageVolume LookupVolumeByName(string name) =>
        StorageVolume.Wrap(Connection, NativeMethods.virStorageVolLookupByName(_handle, name));

    /// <summary>Creates a volume from its XML, e.g. with <see cref="StorageVolumeCreateFlags.PreallocMetadata"/>.</summary>
    public StorageVolume CreateVolume(string xml, StorageVolumeCreateFlags flags = StorageVolumeCreateFlags.None) =>
        StorageVolume.Wrap(Connection, NativeMethods.virStorageVolCreateXML(_handle, xml, (uint)flags));

    /// <summary>
    /// Creates a volume described by <paramref name="xml"/> as a copy of <paramref name="source"/>, which may be in
    /// another pool and another format (virStorageVolCreateXMLFrom). Blocks until the copy is done.
    /// </summary>
    public StorageVolume CreateVolumeFrom(string xml, StorageVolume source, StorageVolumeCreateFlags flags = StorageVolumeCreateFlags.None) =>
        StorageVolume.Wrap(Connection, NativeMethods.virStorageVolCreateXMLFrom(_handle, xml, source.Handle, (uint)flags));

    /// <summary>Releases this reference to the pool; the pool itself is unaffected.</summary>
    public void Dispose() => _handle.Dispose();

    internal static StoragePool Wrap(Connection connection, StoragePoolHandle handle)
    {
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new StoragePool(connection, handle);
    }

    private static int Check(int result) => result < 0 ? throw LibvirtException.FromLastError() : result;
}
