using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>A storage volume (virStorageVolPtr). Keeps the connection it came from.</summary>
public sealed class StorageVolume : IDisposable
{
    private readonly StorageVolumeHandle _handle;

    internal StorageVolume(Connection connection, StorageVolumeHandle handle)
    {
        Connection = connection;
        _handle = handle;
    }

    public Connection Connection { get; }

    public string Name
    {
        get
        {
            nint name = NativeMethods.virStorageVolGetName(_handle); // borrowed
            return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
        }
    }

    /// <summary>libvirt's unique key of the volume (for file volumes, the path).</summary>
    public string Key
    {
        get
        {
            nint key = NativeMethods.virStorageVolGetKey(_handle); // borrowed
            return key == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(key)!;
        }
    }

    /// <summary>The volume's path on the host, as a domain's disk source names it.</summary>
    public string GetPath() => NativeMethods.virStorageVolGetPath(_handle) ?? throw LibvirtException.FromLastError();

    public StorageVolumeInfo GetInfo()
    {
        if (NativeMethods.virStorageVolGetInfo(_handle, out VirStorageVolInfo info) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return new StorageVolumeInfo((StorageVolumeType)info.Type, info.Capacity, info.Allocation);
    }

    public string GetXmlDescription() =>
        NativeMethods.virStorageVolGetXMLDesc(_handle, 0) ?? throw LibvirtException.FromLastError();

    /// <summary>The pool that holds this volume.</summary>
    public StoragePool GetPool() => StoragePool.Wrap(Connection, NativeMethods.virStoragePoolLookupByVolume(_handle));

    /// <summary>Deletes the volume and its data.</summary>
    public void Delete(StorageVolumeDeleteFlags flags = StorageVolumeDeleteFlags.Normal)
    {
        if (NativeMethods.virStorageVolDelete(_handle, (uint)flags) < 0)
        {
            throw LibvirtException.FromLastError();
        }
    }

    /// <summary>
    /// Starts an upload into the volume over <paramref name="stream"/> (virStorageVolUpload): send the data, then
    /// <see cref="Stream.Finish"/>. A <paramref name="length"/> of 0 means up to the end of the volume.
    /// </summary>
    public void Upload(Stream stream, ulong offset, ulong length, StorageVolumeTransferFlags flags = StorageVolumeTransferFlags.None) =>
        Check(NativeMethods.virStorageVolUpload(_handle, stream.Handle, offset, length, (uint)flags));

    /// <summary>
    /// Starts a download of the volume over <paramref name="stream"/> (virStorageVolDownload): receive until 0, then
    /// <see cref="Stream.Finish"/>. A <paramref name="length"/> of 0 means up to the end of the volume.
    /// </summary>
    public void Download(Stream stream, ulong offset, ulong length, StorageVolumeTransferFlags flags = StorageVolumeTransferFlags.None) =>
        Check(NativeMethods.virStorageVolDownload(_handle, stream.Handle, offset, length, (uint)flags));

    /// <summary>Changes the volume's capacity (virtual size); shrinking needs <see cref="StorageVolumeResizeFlags.Shrink"/>.</summary>
    public void Resize(ulong capacityBytes, StorageVolumeResizeFlags flags = StorageVolumeResizeFlags.None) =>
        Check(NativeMethods.virStorageVolResize(_handle, capacityBytes, (uint)flags));

    /// <summary>Overwrites the volume's data with the algorithm's pattern (zeroes by default).</summary>
    public void Wipe(StorageVolumeWipeAlgorithm algorithm = StorageVolumeWipeAlgorithm.Zero) =>
        Check(algorithm == StorageVolumeWipeAlgorithm.Zero
            ? NativeMethods.virStorageVolWipe(_handle, 0)
            : NativeMethods.virStorageVolWipePattern(_handle, (uint)algorithm, 0));

    internal StorageVolumeHandle Handle => _handle;

    private static int Check(int result) => result < 0 ? throw LibvirtException.FromLastError() : result;

    /// <summary>Releases this reference to the volume; the volume itself is unaffected.</summary>
    public void Dispose() => _handle.Dispose();

    internal static StorageVolume Wrap(Connection connection, StorageVolumeHandle handle)
    {
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new StorageVolume(connection, handle);
    }
}
