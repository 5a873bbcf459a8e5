using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-domain.h: domains, domain events and bulk stats.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virDomainFree")]
    internal static partial int virDomainFree(nint domain);

    // domains: out virDomainPtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virConnectListAllDomains")]
    internal static partial int virConnectListAllDomains(ConnectionHandle conn, out nint domains, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainLookupByUUIDString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainLookupByUUIDString(ConnectionHandle conn, string uuid);

    [LibraryImport(Library, EntryPoint = "virDomainLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainLookupByName(ConnectionHandle conn, string name);

    [LibraryImport(Library, EntryPoint = "virDomainDefineXMLFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainDefineXMLFlags(ConnectionHandle conn, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainCreateXML", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainCreateXML(ConnectionHandle conn, string xmlDesc, uint flags);

    // borrowed; raw pointer overload used inside event callbacks, which get an unowned virDomainPtr
    [LibraryImport(Library, EntryPoint = "virDomainGetName")]
    internal static partial nint virDomainGetName(nint domain);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virDomainGetName")]
    internal static partial nint virDomainGetName(DomainHandle domain);

    // buf must hold VIR_UUID_STRING_BUFLEN bytes
    [LibraryImport(Library, EntryPoint = "virDomainGetUUIDString")]
    internal static partial int virDomainGetUUIDString(nint domain, byte* buf);

    [LibraryImport(Library, EntryPoint = "virDomainGetUUIDString")]
    internal static partial int virDomainGetUUIDString(DomainHandle domain, byte* buf);

    [LibraryImport(Library, EntryPoint = "virDomainGetID")]
    internal static partial uint virDomainGetID(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainGetInfo")]
    internal static partial int virDomainGetInfo(DomainHandle domain, out VirDomainInfo info);

    [LibraryImport(Library, EntryPoint = "virDomainGetState")]
    internal static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);

    // owned
    [LibraryImport(Library, EntryPoint = "virDomainGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virDomainGetXMLDesc(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainGetAutostart")]
    internal static partial int virDomainGetAutostart(DomainHandle domain, out int autostart);

    [LibraryImport(Library, EntryPoint = "virDomainSetAutostart")]
    internal static partial int virDomainSetAutostart(DomainHandle domain, int autostart);

    [LibraryImport(Library, EntryPoint = "virDomainIsActive")]
    internal static partial int virDomainIsActive(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainIsPersistent")]
    internal static partial int virDomainIsPersistent(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainCreateWithFlags")]
    internal static partial int virDomainCreateWithFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainShutdown")]
    internal static partial int virDomainShutdown(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainReboot")]
    internal static partial int virDomainReboot(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainDestroy")]
    internal static partial int virDomainDestroy(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainSuspend")]
    internal static partial int virDomainSuspend(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainResume")]
    internal static partial int virDomainResume(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainUndefineFlags")]
    internal static partial int virDomainUndefineFlags(DomainHandle domain, uint flags);

    // cb: any virConnectDomainEvent*Callback matching eventID, freecb: virFreeCallback
    [LibraryImport(Library, EntryPoint = "virConnectDomainEventRegisterAny")]
    internal static partial int virConnectDomainEventRegisterAny(
        ConnectionHandle conn, nint domain, int eventID, nint cb, nint opaque, nint freecb);

    [LibraryImport(Library, EntryPoint = "virConnectDomainEventDeregisterAny")]
    internal static partial int virConnectDomainEventDeregisterAny(ConnectionHandle conn, int callbackID);

    // retStats: out virDomainStatsRecordPtr*, NULL-terminated, freed with virDomainStatsRecordListFree
    [LibraryImport(Library, EntryPoint = "virConnectGetAllDomainStats")]
    internal static partial int virConnectGetAllDomainStats(ConnectionHandle conn, uint stats, out nint retStats, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainStatsRecordListFree")]
    internal static partial void virDomainStatsRecordListFree(nint stats);
}
