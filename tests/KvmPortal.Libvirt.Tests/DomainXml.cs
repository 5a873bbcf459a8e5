using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>Domain XML for tests, built with XElement so any name is escaped properly.</summary>
internal static class DomainXml
{
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A minimal domain for libvirt's test driver.</summary>
    public static string ForTestDriver(string name) =>
        new XElement("domain",
            new XAttribute("type", "test"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("os", new XElement("type", "hvm"))).ToString();

    /// <summary>A tiny TCG guest without disks: it boots into SeaBIOS and stays there.</summary>
    public static string TinyQemu(string name) => TinyQemuElement(name).ToString();

    /// <summary>The tiny guest with a serial port on a pty; SeaBIOS writes nothing to it, it only stays open.</summary>
    public static string TinyQemuWithSerial(string name)
    {
        var domain = TinyQemuElement(name);
        domain.Element("devices")!.Add(new XElement("serial", new XAttribute("type", "pty"),
            new XElement("target", new XAttribute("port", 0))));
        return domain.ToString();
    }

    private static XElement TinyQemuElement(string name) =>
        new XElement("domain",
            new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("vcpu", 1),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm")),
            new XElement("devices",
                new XElement("graphics",
                    new XAttribute("type", "vnc"),
                    new XAttribute("listen", "127.0.0.1"),
                    new XAttribute("autoport", "yes"))));

    public static string NameOf(string domainXml) => XElement.Parse(domainXml).Element("name")!.Value;
}
