using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>A failed libvirt call, carrying libvirt's virError code, domain and message.</summary>
public sealed class LibvirtException : Exception
{
    public LibvirtException(int code, int domain, string message) : base(message)
    {
        Code = code;
        Domain = domain;
    }

    /// <summary>The virErrorNumber.</summary>
    public int Code { get; }

    /// <summary>The virErrorDomain: which part of libvirt raised the error.</summary>
    public int Domain { get; }

    public ErrorCode ErrorCode => (ErrorCode)Code;

    /// <summary>
    /// Reads libvirt's thread-local last error. Call it immediately after the failing call, on the same thread,
    /// before any other libvirt call (every public libvirt API resets the last error on entry).
    /// </summary>
    internal static unsafe LibvirtException FromLastError()
    {
        VirError* error = NativeMethods.virGetLastError();
        if (error == null)
        {
            return new LibvirtException((int)ErrorCode.InternalError, 0, "libvirt call failed without reporting an error");
        }
        string message = Marshal.PtrToStringUTF8(error->Message) ?? $"libvirt error {error->Code}";
        return new LibvirtException(error->Code, error->Domain, message);
    }
}
