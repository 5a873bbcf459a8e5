using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virNetworkPtr, released with virNetworkFree.</summary>
internal sealed class NetworkHandle : SafeHandle
{
    public NetworkHandle() : base(0, ownsHandle: true)
    {
    }

    public NetworkHandle(nint network) : base(0, ownsHandle: true)
    {
        SetHandle(network);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virNetworkFree(handle) == 0;
}

/// <summary>An owned reference to a virInterfacePtr (a host interface), released with virInterfaceFree.</summary>
internal sealed class InterfaceHandle : SafeHandle
{
    public InterfaceHandle(nint iface) : base(0, ownsHandle: true)
    {
        SetHandle(iface);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virInterfaceFree(handle) == 0;
}

/// <summary>An owned reference to a virNodeDevicePtr, released with virNodeDeviceFree.</summary>
internal sealed class NodeDeviceHandle : SafeHandle
{
    public NodeDeviceHandle(nint device) : base(0, ownsHandle: true)
    {
        SetHandle(device);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => NativeMethods.virNodeDeviceFree(handle) == 0;
}
