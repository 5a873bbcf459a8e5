using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Vms.Clone;

/// <summary>
/// The clone's domain XML from the source's inactive XML: new name, no UUID and no MAC addresses (libvirt makes
/// new ones), the copied disks pointed at their new volumes, graphics ports chosen at start.
/// </summary>
internal static class CloneXmlBuilder
{
    /// <summary>
    /// The portal's metadata that is the source's own: its owner (the clone's is set for the team it is made for) and
    /// its template mark (a VM made from a template is an ordinary VM).
    /// </summary>
    private static readonly HashSet<XNamespace> SourceOnlyMetadata = ["https://kvmportal.dev/xmlns/ownership/1", Templates.VmTemplateTag.Namespace];

    /// <param name="sourceXml">The source's inactive XML.</param>
    /// <param name="name">The clone's name.</param>
    /// <param name="disks">The copied disks with their new volumes' paths.</param>
    /// <param name="linked">Whether the new volumes are qcow2 overlays.</param>
    /// <param name="ports">The source's fixed listening ports mapped to the clone's (<see cref="ClonePorts"/>).</param>
    public static string Build(string sourceXml, string name, IReadOnlyList<(ClonedDisk Disk, string NewPath)> disks, bool linked,
        IReadOnlyDictionary<int, int>? ports = null)
    {
        var domain = XDocument.Parse(sourceXml).Root ?? throw new FormatException("The domain XML is empty.");
        domain.Element("name")!.Value = name;
        domain.Element("uuid")?.Remove();
        domain.Element("os")?.Element("nvram")?.Remove(); // the source's UEFI variables file; libvirt makes a new one
        domain.Element("metadata")?.Elements().Where(e => SourceOnlyMetadata.Contains(e.Name.Namespace)).Remove();
        if (domain.Element("metadata") is { HasElements: false } metadata) metadata.Remove();

        var devices = domain.Element("devices");
        if (devices is null) return domain.ToString();
        if (ports is { Count: > 0 }) ClonePorts.Apply(devices, ports);
        foreach (var mac in devices.Elements("interface").Select(i => i.Element("mac")).OfType<XElement>().ToList()) mac.Remove();
        foreach (var graphics in devices.Elements("graphics"))
        {
            if (graphics.Attribute("port") is null && graphics.Attribute("autoport") is null) continue;
            graphics.SetAttributeValue("autoport", "yes");
            graphics.SetAttributeValue("port", null);
            graphics.SetAttributeValue("tlsPort", null);
            graphics.SetAttributeValue("websocket", null);
        }
        foreach (var element in devices.Elements("disk"))
        {
            var target = (string?)element.Element("target")?.Attribute("dev");
            var match = disks.FirstOrDefault(d => d.Disk.Target == target);
            if (match.Disk is null) continue;
            PointAt(element, match.Disk, match.NewPath, linked);
        }
        return domain.ToString();
    }

    private static void PointAt(XElement disk, ClonedDisk cloned, string newPath, bool linked)
    {
        var source = disk.Element("source")!;
        disk.Element("backingStore")?.Remove();
        switch ((string?)disk.Attribute("type"))
        {
            case "volume":
                source.SetAttributeValue("pool", cloned.TargetPool);
                source.SetAttributeValue("volume", cloned.TargetVolume);
                break;
            case "block":
                source.SetAttributeValue("dev", newPath);
                break;
            default:
                source.SetAttributeValue("file", newPath);
                break;
        }
        if (!linked) return;
        if (disk.Element("driver") is not { } driver)
        {
            driver = new XElement("driver", new XAttribute("name", "qemu"));
            disk.AddFirst(driver);
        }
        driver.SetAttributeValue("type", "qcow2");
    }
}
