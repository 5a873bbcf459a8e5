using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>Tiny throw-away domains on the real qemu:///system, named so they never collide.</summary>
public static class TestDomains
{
    public const string SystemUri = "qemu:///system";

    public static string NewName() => "kvmportal-test-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>An emulated (TCG) machine with no disks: SeaBIOS runs and finds nothing to boot, which is enough.</summary>
    public static string TinyDomainXml(string name) => new XElement("domain", new XAttribute("type", "qemu"),
        new XElement("name", name),
        new XElement("memory", new XAttribute("unit", "MiB"), 64),
        new XElement("vcpu", 1),
        new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm")),
        new XElement("devices",
            new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("listen", "127.0.0.1"), new XAttribute("autoport", "yes")))).ToString();

    /// <summary>The tiny machine with a serial port on a pty and a virtio console: two text consoles, both silent.</summary>
    public static string TinyDomainWithConsolesXml(string name)
    {
        var domain = XElement.Parse(TinyDomainXml(name));
        domain.Element("devices")!.Add(
            new XElement("serial", new XAttribute("type", "pty"), new XElement("target", new XAttribute("port", 0))),
            new XElement("console", new XAttribute("type", "pty"), new XElement("target", new XAttribute("type", "virtio"), new XAttribute("port", 1))));
        return domain.ToString();
    }

    public static Connection OpenSystem()
    {
        try
        {
            return Connection.Open(SystemUri);
        }
        catch (LibvirtException e)
        {
            throw new InvalidOperationException($"These tests need libvirtd on {SystemUri} (deploy/test.sh starts it): {e.Message}", e);
        }
    }

    /// <summary>Destroys and undefines the domain if it exists; for cleanup.</summary>
    public static void Remove(Connection connection, string name)
    {
        try
        {
            using var domain = connection.LookupDomainByName(name);
            if (domain.IsActive) domain.Destroy();
            if (domain.IsPersistent) domain.Undefine();
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
        }
    }
}
