using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Vms;

/// <summary>Reads the parts of a domain's XML that the detail page shows.</summary>
internal static class DomainXmlReader
{
    public static VmDetails Read(VmInfo info, string xml, bool autostart)
    {
        var domain = XDocument.Parse(xml).Root ?? throw new FormatException("The domain XML is empty.");
        var os = domain.Element("os")?.Element("type");
        var devices = domain.Element("devices");

        return new VmDetails(
            Info: info,
            Title: (string?)domain.Element("title"),
            Description: (string?)domain.Element("description"),
            DomainType: (string?)domain.Attribute("type") ?? "",
            OsType: os?.Value ?? "",
            Arch: (string?)os?.Attribute("arch") ?? "",
            MachineType: (string?)os?.Attribute("machine"),
            MaxMemoryBytes: ReadMemory(domain.Element("memory")),
            Autostart: autostart,
            Disks: devices?.Elements("disk").Select(ReadDisk).ToList() ?? [],
            Nics: devices?.Elements("interface").Select(ReadNic).ToList() ?? [],
            Graphics: devices?.Elements("graphics").Select(ReadGraphics).ToList() ?? [],
            Xml: xml);
    }

    private static ulong ReadMemory(XElement? element) =>
        element is null ? 0 : MemoryUnits.ToBytes(ulong.Parse(element.Value.Trim()), (string?)element.Attribute("unit"));

    internal static DiskInfo ReadDisk(XElement disk)
    {
        var source = disk.Element("source");
        var target = disk.Element("target");
        return new DiskInfo(
            Device: (string?)disk.Attribute("device") ?? "disk",
            Bus: (string?)target?.Attribute("bus") ?? "",
            Target: (string?)target?.Attribute("dev") ?? "",
            Source: DescribeDiskSource(source),
            Format: (string?)disk.Element("driver")?.Attribute("type"),
            ReadOnly: disk.Element("readonly") is not null);
    }

    private static string? DescribeDiskSource(XElement? source)
    {
        if (source is null) return null;
        var pool = (string?)source.Attribute("pool");
        if (pool is not null) return $"{pool}/{(string?)source.Attribute("volume")}";
        return (string?)source.Attribute("file") ?? (string?)source.Attribute("dev") ?? (string?)source.Attribute("name");
    }

    private static NicInfo ReadNic(XElement nic)
    {
        var source = nic.Element("source");
        return new NicInfo(
            Type: (string?)nic.Attribute("type") ?? "",
            Source: (string?)source?.Attribute("network") ?? (string?)source?.Attribute("bridge") ?? (string?)source?.Attribute("dev"),
            Mac: (string?)nic.Element("mac")?.Attribute("address"),
            Model: (string?)nic.Element("model")?.Attribute("type"));
    }

    private static GraphicsInfo ReadGraphics(XElement graphics)
    {
        var port = (int?)graphics.Attribute("port");
        return new GraphicsInfo(
            Type: (string?)graphics.Attribute("type") ?? "",
            Listen: (string?)graphics.Attribute("listen") ?? (string?)graphics.Element("listen")?.Attribute("address"),
            Port: port is > 0 ? port : null,
            AutoPort: (string?)graphics.Attribute("autoport") == "yes");
    }
}
