using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>The virConnectCloseFunc that forwards a close reason to a channel writer held by a GCHandle.</summary>
internal static unsafe class ConnectionCloseCallback
{
    public static nint Pointer => (nint)(delegate* unmanaged[Cdecl]<nint, int, nint, void>)&OnClose;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnClose(nint conn, int reason, nint opaque)
    {
        try
        {
            var writer = (ChannelWriter<ConnectionClosed>)GCHandle.FromIntPtr(opaque).Target!;
            writer.TryWrite(new ConnectionClosed((CloseReason)reason));
        }
        catch (Exception)
        {
            // An exception must never unwind into libvirt's event loop.
        }
    }
}
