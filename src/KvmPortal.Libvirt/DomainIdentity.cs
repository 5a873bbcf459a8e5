using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmPortal.Libvirt;

/// <summary>Name and UUID of a virDomainPtr we do not own (event callbacks, stats records).</summary>
internal static unsafe class DomainIdentity
{
    // VIR_UUID_STRING_BUFLEN
    internal const int UuidStringLength = 36 + 1;

    public static string GetName(nint domain)
    {
        nint name = NativeMethods.virDomainGetName(domain);
        if (name == 0)
        {
            throw LibvirtException.FromLastError();
        }
        return Marshal.PtrToStringUTF8(name)!;
    }

    public static Guid GetUuid(nint domain)
    {
        byte* buffer = stackalloc byte[UuidStringLength];
        if (NativeMethods.virDomainGetUUIDString(domain, buffer) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return ParseUuid(buffer);
    }

    public static Guid ParseUuid(byte* buffer) =>
        Guid.Parse(Encoding.ASCII.GetString(buffer, UuidStringLength - 1));
}
