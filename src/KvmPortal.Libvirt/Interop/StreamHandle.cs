using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virStreamPtr, released with virStreamFree (after Finish or Abort).</summary>
internal sealed class StreamHandle : SafeHandle
{
    public StreamHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virStreamFree(handle) == 0;
}
