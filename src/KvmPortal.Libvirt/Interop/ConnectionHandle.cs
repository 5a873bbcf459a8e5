using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>An owned reference to a virConnectPtr, released with virConnectClose.</summary>
internal sealed class ConnectionHandle : SafeHandle
{
    private nint _closeCallback;
    private GCHandle _closeCallbackState;

    public ConnectionHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Remembers a close callback that was registered with a null freecb, so that it is unregistered and its
    /// state freed right before the connection is closed, whether by Dispose or by the finalizer.
    /// </summary>
    /// <remarks>
    /// libvirt calls freecb only for drivers that implement close callbacks (the remote driver); for the others
    /// (test://) registration silently succeeds and freecb never runs, so the state must be ours to free.
    /// </remarks>
    internal void TrackCloseCallback(nint callback, GCHandle state)
    {
        _closeCallback = callback;
        _closeCallbackState = state;
    }

    protected override bool ReleaseHandle()
    {
        if (_closeCallback != 0)
        {
            // This fails harmlessly when libvirt already dropped the registration after firing it. The remote
            // driver runs the callback under the same lock, so once this returns the callback cannot be running.
            NativeMethods.virConnectUnregisterCloseCallback(handle, _closeCallback);
            _closeCallbackState.Free();
            _closeCallback = 0;
        }
        return NativeMethods.virConnectClose(handle) >= 0;
    }
}
