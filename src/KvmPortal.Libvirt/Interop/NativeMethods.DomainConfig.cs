using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-domain.h: changing a domain's devices, vCPUs, memory, name, metadata and managed save.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virDomainSetVcpusFlags")]
    internal static partial int virDomainSetVcpusFlags(DomainHandle domain, uint nvcpus, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainGetVcpusFlags")]
    internal static partial int virDomainGetVcpusFlags(DomainHandle domain, uint flags);

    // memory: unsigned long (64 bits on LP64), in KiB
    [LibraryImport(Library, EntryPoint = "virDomainSetMemoryFlags")]
    internal static partial int virDomainSetMemoryFlags(DomainHandle domain, ulong memory, uint flags);

    // unsigned long in KiB; 0 on error
    [LibraryImport(Library, EntryPoint = "virDomainGetMaxMemory")]
    internal static partial ulong virDomainGetMaxMemory(DomainHandle domain);

    [LibraryImport(Library, EntryPoint = "virDomainAttachDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainAttachDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainDetachDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainDetachDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainUpdateDeviceFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainUpdateDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainRename", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainRename(DomainHandle domain, string newName, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainManagedSave")]
    internal static partial int virDomainManagedSave(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainHasManagedSaveImage")]
    internal static partial int virDomainHasManagedSaveImage(DomainHandle domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainManagedSaveRemove")]
    internal static partial int virDomainManagedSaveRemove(DomainHandle domain, uint flags);

    // metadata, key and uri may be NULL (a null string marshals as NULL)
    [LibraryImport(Library, EntryPoint = "virDomainSetMetadata", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainSetMetadata(DomainHandle domain, int type, string? metadata, string? key, string? uri, uint flags);

    // owned
    [LibraryImport(Library, EntryPoint = "virDomainGetMetadata", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virDomainGetMetadata(DomainHandle domain, int type, string? uri, uint flags);
}
