using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>Copies virDomainInterfaceAddresses' result into records and frees it.</summary>
internal static unsafe class DomainInterfaces
{
    public static IReadOnlyList<DomainInterfaceAddresses> Read(DomainHandle domain, InterfaceAddressSource source)
    {
        int count = NativeMethods.virDomainInterfaceAddresses(domain, out nint ifaces, (uint)source, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var result = new List<DomainInterfaceAddresses>(count);
            for (int i = 0; i < count; i++)
            {
                VirDomainInterface* iface = ((VirDomainInterface**)ifaces)[i];
                var addresses = new List<DomainIpAddress>((int)iface->NAddrs);
                for (int j = 0; j < iface->NAddrs; j++)
                {
                    VirDomainIpAddress* address = &iface->Addrs[j];
                    addresses.Add(new DomainIpAddress(
                        (IpAddressType)address->Type, Marshal.PtrToStringUTF8(address->Addr) ?? "", address->Prefix));
                }
                result.Add(new DomainInterfaceAddresses(
                    Marshal.PtrToStringUTF8(iface->Name) ?? "", Marshal.PtrToStringUTF8(iface->HwAddr), addresses));
            }
            return result;
        }
        finally
        {
            if (ifaces != 0)
            {
                for (int i = 0; i < count; i++)
                {
                    NativeMethods.virDomainInterfaceFree(((VirDomainInterface**)ifaces)[i]);
                }
                NativeMemory.Free((void*)ifaces);
            }
        }
    }
}
