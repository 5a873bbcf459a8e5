using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-domain-snapshot.h.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virDomainSnapshotCreateXML", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainSnapshotHandle virDomainSnapshotCreateXML(DomainHandle domain, string xmlDesc, uint flags);

    // snaps: a malloc'd array of virDomainSnapshotPtr the caller frees (and each snapshot)
    [LibraryImport(Library, EntryPoint = "virDomainListAllSnapshots")]
    internal static partial int virDomainListAllSnapshots(DomainHandle domain, out nint snaps, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainSnapshotLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainSnapshotHandle virDomainSnapshotLookupByName(DomainHandle domain, string name, uint flags);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virDomainSnapshotGetName")]
    internal static partial nint virDomainSnapshotGetName(DomainSnapshotHandle snapshot);

    // NULL with VIR_ERR_NO_DOMAIN_SNAPSHOT for a root snapshot
    [LibraryImport(Library, EntryPoint = "virDomainSnapshotGetParent")]
    internal static partial DomainSnapshotHandle virDomainSnapshotGetParent(DomainSnapshotHandle snapshot, uint flags);

    // owned
    [LibraryImport(Library, EntryPoint = "virDomainSnapshotGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virDomainSnapshotGetXMLDesc(DomainSnapshotHandle snapshot, uint flags);

    // NULL with VIR_ERR_NO_DOMAIN_SNAPSHOT when the domain has no current snapshot
    [LibraryImport(Library, EntryPoint = "virDomainSnapshotCurrent")]
    internal static partial DomainSnapshotHandle virDomainSnapshotCurrent(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainSnapshotIsCurrent")]
    internal static partial int virDomainSnapshotIsCurrent(DomainSnapshotHandle snapshot, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainSnapshotHasMetadata")]
    internal static partial int virDomainSnapshotHasMetadata(DomainSnapshotHandle snapshot, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainRevertToSnapshot")]
    internal static partial int virDomainRevertToSnapshot(DomainSnapshotHandle snapshot, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainSnapshotDelete")]
    internal static partial int virDomainSnapshotDelete(DomainSnapshotHandle snapshot, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainSnapshotFree")]
    internal static partial int virDomainSnapshotFree(nint snapshot);
}
