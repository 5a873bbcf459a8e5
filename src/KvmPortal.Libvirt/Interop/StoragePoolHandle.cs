using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virStoragePoolPtr, released with virStoragePoolFree.</summary>
internal sealed class StoragePoolHandle : SafeHandle
{
    public StoragePoolHandle() : base(0, ownsHandle: true)
    {
    }

    public StoragePoolHandle(nint pool) : base(0, ownsHandle: true)
    {
        SetHandle(pool);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virStoragePoolFree(handle) == 0;
}
