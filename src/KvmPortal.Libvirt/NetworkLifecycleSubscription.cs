using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>A VIR_NETWORK_EVENT_ID_LIFECYCLE registration for all networks of a connection.</summary>
internal sealed unsafe class NetworkLifecycleSubscription : EventSubscription
{
    private const int LifecycleEventId = 0; // VIR_NETWORK_EVENT_ID_LIFECYCLE

    private NetworkLifecycleSubscription(Connection connection, int callbackId) : base(connection, callbackId)
    {
    }

    internal static NetworkLifecycleSubscription Register(Connection connection, ChannelWriter<NetworkLifecycleEvent> writer) =>
        new(connection, Register(writer, opaque => NativeMethods.virConnectNetworkEventRegisterAny(
            connection.Handle,
            network: 0,
            LifecycleEventId,
            (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void>)&OnLifecycle,
            opaque,
            FreeStateCallback)));

    protected override int Deregister(ConnectionHandle connection, int callbackId) =>
        NativeMethods.virConnectNetworkEventDeregisterAny(connection, callbackId);

    // virConnectNetworkEventLifecycleCallback (returns void, unlike the domain one)
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLifecycle(nint conn, nint network, int eventType, int detail, nint opaque)
    {
        try
        {
            Writer<ChannelWriter<NetworkLifecycleEvent>>(opaque).TryWrite(
                new NetworkLifecycleEvent(GetUuid(network), GetName(network), (NetworkEventType)eventType, detail));
        }
        catch (Exception)
        {
            // An exception must never unwind into libvirt's event loop; the event is lost.
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
