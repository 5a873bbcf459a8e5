using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>
/// A VIR_NETWORK_EVENT_ID_LIFECYCLE registration for all networks of a connection; disposing it deregisters.
/// The channel writer travels to libvirt as a GCHandle, freed by libvirt through freecb once deregistered.
/// </summary>
internal sealed unsafe class NetworkLifecycleSubscription : IDisposable
{
    private const int LifecycleEventId = 0; // VIR_NETWORK_EVENT_ID_LIFECYCLE

    private readonly Connection _connection;
    private readonly int _callbackId;
    private int _disposed;

    private NetworkLifecycleSubscription(Connection connection, int callbackId)
    {
        _connection = connection;
        _callbackId = callbackId;
    }

    internal static NetworkLifecycleSubscription Register(Connection connection, ChannelWriter<NetworkLifecycleEvent> writer)
    {
        GCHandle state = GCHandle.Alloc(writer);
        int callbackId = NativeMethods.virConnectNetworkEventRegisterAny(
            connection.Handle,
            network: 0,
            LifecycleEventId,
            (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void>)&OnLifecycle,
            GCHandle.ToIntPtr(state),
            (nint)(delegate* unmanaged[Cdecl]<nint, void>)&FreeState);
        if (callbackId < 0)
        {
            var error = LibvirtException.FromLastError();
            state.Free(); // libvirt does not call freecb when registration fails
            throw error;
        }
        return new NetworkLifecycleSubscription(connection, callbackId);
    }

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
            NativeMethods.virConnectNetworkEventDeregisterAny(_connection.Handle, _callbackId);
        }
        catch (ObjectDisposedException)
        {
            // The connection was closed, which already dropped the registration.
        }
    }

    // virConnectNetworkEventLifecycleCallback (returns void, unlike the domain one)
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLifecycle(nint conn, nint network, int eventType, int detail, nint opaque)
    {
        try
        {
            var writer = (ChannelWriter<NetworkLifecycleEvent>)GCHandle.FromIntPtr(opaque).Target!;
            writer.TryWrite(new NetworkLifecycleEvent(GetUuid(network), GetName(network), (NetworkEventType)eventType, detail));
        }
        catch (Exception)
        {
            // An exception must never unwind into libvirt's event loop; the event is lost.
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

    private static string GetName(nint network)
    {
        nint name = NativeMethods.virNetworkGetName(network); // borrowed
        return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
    }

    private static Guid GetUuid(nint network)
    {
        byte* buffer = stackalloc byte[DomainIdentity.UuidStringLength];
        if (NativeMethods.virNetworkGetUUIDString(network, buffer) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return DomainIdentity.ParseUuid(buffer);
    }
}
