using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virDomainSnapshotPtr, released with virDomainSnapshotFree.</summary>
internal sealed class DomainSnapshotHandle : SafeHandle
{
    public DomainSnapshotHandle() : base(0, ownsHandle: true)
    {
    }

    public DomainSnapshotHandle(nint snapshot) : base(0, ownsHandle: true)
    {
        SetHandle(snapshot);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virDomainSnapshotFree(handle) == 0;
}
