using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>A VIR_DOMAIN_EVENT_ID_LIFECYCLE registration for all domains of a connection.</summary>
internal sealed unsafe class DomainLifecycleSubscription : EventSubscription
{
    private const int LifecycleEventId = 0; // VIR_DOMAIN_EVENT_ID_LIFECYCLE

    private DomainLifecycleSubscription(Connection connection, int callbackId) : base(connection, callbackId)
    {
    }

    internal static DomainLifecycleSubscription Register(Connection connection, ChannelWriter<DomainLifecycleEvent> writer) =>
        new(connection, Register(writer, opaque => NativeMethods.virConnectDomainEventRegisterAny(
            connection.Handle,
            domain: 0,
            LifecycleEventId,
            (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, int>)&OnLifecycle,
            opaque,
            FreeStateCallback)));

    protected override int Deregister(ConnectionHandle connection, int callbackId) =>
        NativeMethods.virConnectDomainEventDeregisterAny(connection, callbackId);

    // virConnectDomainEventCallback
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnLifecycle(nint conn, nint domain, int eventType, int detail, nint opaque)
    {
        try
        {
            Writer<ChannelWriter<DomainLifecycleEvent>>(opaque).TryWrite(new DomainLifecycleEvent(
                DomainIdentity.GetUuid(domain), DomainIdentity.GetName(domain), (DomainEventType)eventType, detail));
        }
        catch (Exception)
        {
            // An exception must never unwind into libvirt's event loop; the event is lost.
        }
        return 0;
    }
}
