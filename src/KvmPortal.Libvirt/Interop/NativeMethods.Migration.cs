using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>libvirt-domain.h: migration and domain jobs.</summary>
internal static unsafe partial class NativeMethods
{
    // returns an owned virDomainPtr on the destination, or NULL
    [LibraryImport(Library, EntryPoint = "virDomainMigrate3")]
    internal static partial DomainHandle virDomainMigrate3(DomainHandle domain, ConnectionHandle dconn, VirTypedParameter* parameters, uint nparams, uint flags);

    // params: out, allocated by libvirt, freed with virTypedParamsFree
    [LibraryImport(Library, EntryPoint = "virDomainGetJobStats")]
    internal static partial int virDomainGetJobStats(DomainHandle domain, out int type, out VirTypedParameter* parameters, out int nparams, uint flags);

    [LibraryImport(Library, EntryPoint = "virTypedParamsFree")]
    internal static partial void virTypedParamsFree(VirTypedParameter* parameters, int nparams);
}
