using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>
/// One libvirt event callback registration (domain or network events); disposing it deregisters. The channel
/// writer travels to libvirt as a GCHandle, which libvirt frees through the freecb once deregistered.
/// </summary>
internal abstract unsafe class EventSubscription : IDisposable
{
    private readonly Connection _connection;
    private readonly int _callbackId;
    private int _disposed;

    protected EventSubscription(Connection connection, int callbackId)
    {
        _connection = connection;
        _callbackId = callbackId;
    }

    /// <summary>The freecb to hand to libvirt with the writer's GCHandle.</summary>
    protected static nint FreeStateCallback => (nint)(delegate* unmanaged[Cdecl]<nint, void>)&FreeState;

    /// <summary>
    /// Calls <paramref name="register"/> with the writer's GCHandle and returns the callback id; on failure
    /// reads libvirt's error at once and frees the handle, which libvirt's freecb will not do then.
    /// </summary>
    protected static int Register(object writer, Func<nint, int> register)
    {
        GCHandle state = GCHandle.Alloc(writer);
        int callbackId = register(GCHandle.ToIntPtr(state));
        if (callbackId < 0)
        {
            var error = LibvirtException.FromLastError();
            state.Free();
            throw error;
        }
        return callbackId;
    }

    /// <summary>The writer a callback's opaque pointer stands for.</summary>
    protected static T Writer<T>(nint opaque) => (T)GCHandle.FromIntPtr(opaque).Target!;

    /// <summary>The virConnectXxxEventDeregisterAny call of this kind of event.</summary>
    protected abstract int Deregister(ConnectionHandle connection, int callbackId);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _connection.Forget(this);
            Deregister();
        }
    }

    /// <summary>Deregisters without throwing: used from Dispose paths, where the connection may be broken.</summary>
    internal void Deregister()
    {
        try
        {
            Deregister(_connection.Handle, _callbackId);
        }
        catch (ObjectDisposedException)
        {
            // The connection was closed, which already dropped the registration.
        }
    }

    // virFreeCallback
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreeState(nint opaque)
    {
        try
        {
            GCHandle.FromIntPtr(opaque).Free();
        }
        catch (Exception)
        {
            // Must not unwind into libvirt.
        }
    }
}
