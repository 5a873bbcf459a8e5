using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virStorageVolPtr, released with virStorageVolFree.</summary>
internal sealed class StorageVolumeHandle : SafeHandle
{
    public StorageVolumeHandle() : base(0, ownsHandle: true)
    {
    }

    public StorageVolumeHandle(nint volume) : base(0, ownsHandle: true)
    {
        SetHandle(volume);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virStorageVolFree(handle) == 0;
}
