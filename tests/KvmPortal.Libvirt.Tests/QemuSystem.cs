using Xunit.Sdk;

namespace KvmPortal.Libvirt.Tests;

internal static class QemuSystem
{
    public const string Uri = "qemu:///system";

    /// <summary>Opens qemu:///system or fails the test loudly: these tests are never skipped.</summary>
    public static Connection Open()
    {
        try
        {
            return Connection.Open(Uri);
        }
        catch (LibvirtException e)
        {
            throw new XunitException(
                $"libvirtd must be running and reachable at {Uri} for these tests (deploy/test.sh starts it): " +
                $"{e.ErrorCode}: {e.Message}");
        }
    }
}
