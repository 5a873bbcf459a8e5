using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>struct _virStoragePoolInfo (libvirt-storage.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirStoragePoolInfo
{
    public int State;
    public ulong Capacity;
    public ulong Allocation;
    public ulong Available;
}

/// <summary>struct _virStorageVolInfo (libvirt-storage.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirStorageVolInfo
{
    public int Type;
    public ulong Capacity;
    public ulong Allocation;
}
