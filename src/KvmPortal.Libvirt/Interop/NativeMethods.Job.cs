using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>A domain's background job (libvirt-domain.h): progress and abort.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virDomainGetJobInfo")]
    internal static partial int virDomainGetJobInfo(DomainHandle domain, out VirDomainJobInfo info);

    [LibraryImport(Library, EntryPoint = "virDomainAbortJob")]
    internal static partial int virDomainAbortJob(DomainHandle domain);
}

/// <summary>struct _virDomainJobInfo (libvirt-domain.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainJobInfo
{
    public int Type;
    public ulong TimeElapsed;
    public ulong TimeRemaining;
    public ulong DataTotal;
    public ulong DataProcessed;
    public ulong DataRemaining;
    public ulong MemTotal;
    public ulong MemProcessed;
    public ulong MemRemaining;
    public ulong FileTotal;
    public ulong FileProcessed;
    public ulong FileRemaining;
}
