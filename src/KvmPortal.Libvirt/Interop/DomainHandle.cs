using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virDomainPtr, released with virDomainFree.</summary>
internal sealed class DomainHandle : SafeHandle
{
    public DomainHandle() : base(0, ownsHandle: true)
    {
    }

    public DomainHandle(nint domain) : base(0, ownsHandle: true)
    {
        SetHandle(domain);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virDomainFree(handle) == 0;
}
