using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>
/// A VIR_DOMAIN_EVENT_ID_LIFECYCLE registration for all domains of a connection; disposing it deregisters.
/// The channel writer travels to libvirt as a GCHandle, freed by libvirt through freecb once deregistered.
/// </summary>
internal sealed unsafe class DomainLifecycleSubscription : IDisposable
{
    private const int LifecycleEventId = 0; // VIR_DOMAIN_EVENT_ID_LIFECYCLE

    private readonly Connection _connection;
    private readonly int _callbackId;
    private int _disposed;

    private DomainLifecycleSubscription(Connection connection, int callbackId)
    {
        _connection = connection;
        _callbackId = callbackId;
    }

    internal static DomainLifecycleSubscription Register(Connection connection, ChannelWriter<DomainLifecycleEvent> writer)
    {
        GCHandle state = GCHandle.Alloc(writer);
        int callbackId = NativeMethods.virConnectDomainEventRegisterAny(
            connection.Handle,
            domain: 0,
            LifecycleEventId,
            (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, int>)&OnLifecycle,
            GCHandle.ToIntPtr(state),
            (nint)(delegate* unmanaged[Cdecl]<nint, void>)&FreeState);
        if (callbackId < 0)
        {
            var error = LibvirtException.FromLastError();
            state.Free(); // libvirt does not call freecb when registration fails
            throw error;
        }
        return new DomainLifecycleSubscription(connection, callbackId);
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
            NativeMethods.virConnectDomainEventDeregisterAny(_connection.Handle, _callbackId);
        }
        catch (ObjectDisposedException)
        {
            // The connection was closed, which already dropped the registration.
        }
    }

    // virConnectDomainEventCallback
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnLifecycle(nint conn, nint domain, int eventType, int detail, nint opaque)
    {
        try
        {
            var writer = (ChannelWriter<DomainLifecycleEvent>)GCHandle.FromIntPtr(opaque).Target!;
            var lifecycleEvent = new DomainLifecycleEvent(
                DomainIdentity.GetUuid(domain), DomainIdentity.GetName(domain), (DomainEventType)eventType, detail);
            writer.TryWrite(lifecycleEvent);
        }
        catch (Exception)
        {
            // An exception must never unwind into libvirt's event loop; the event is lost.
        }
        return 0;
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
