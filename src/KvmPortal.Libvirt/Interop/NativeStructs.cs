using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

// Layouts follow the libvirt 9.0 headers on LP64 Linux (unsigned long is 64 bits).

/// <summary>struct _virNodeInfo (libvirt-host.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirNodeInfo
{
    public fixed byte Model[32];
    public ulong Memory;
    public uint Cpus;
    public uint Mhz;
    public uint Nodes;
    public uint Sockets;
    public uint Cores;
    public uint Threads;
}

/// <summary>struct _virDomainInfo (libvirt-domain.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInfo
{
    public byte State;
    public ulong MaxMem;
    public ulong Memory;
    public ushort NrVirtCpu;
    public ulong CpuTime;
}

/// <summary>struct _virTypedParameter (libvirt-common.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirTypedParameter
{
    public const int FieldLength = 80;

    public fixed byte Field[FieldLength];
    public int Type;
    public VirTypedParameterValue Value;
}

/// <summary>The value union of struct _virTypedParameter.</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct VirTypedParameterValue
{
    [FieldOffset(0)] public int I;
    [FieldOffset(0)] public uint UI;
    [FieldOffset(0)] public long L;
    [FieldOffset(0)] public ulong UL;
    [FieldOffset(0)] public double D;
    [FieldOffset(0)] public byte B;
    [FieldOffset(0)] public nint S;
}

/// <summary>struct _virDomainStatsRecord (libvirt-domain.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirDomainStatsRecord
{
    public nint Dom;
    public VirTypedParameter* Params;
    public int NParams;
}

/// <summary>struct _virError (virterror.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirError
{
    public int Code;
    public int Domain;
    public nint Message;
    public int Level;
    public nint Conn;
    public nint Dom;
    public nint Str1;
    public nint Str2;
    public nint Str3;
    public int Int1;
    public int Int2;
    public nint Net;
}

/// <summary>struct _virNodeCPUStats and struct _virNodeMemoryStats (libvirt-host.h): the same layout.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirNodeStatsEntry
{
    public const int FieldLength = 80;

    public fixed byte Field[FieldLength];
    public ulong Value;
}
