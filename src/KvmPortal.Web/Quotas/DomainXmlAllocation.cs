using System.Xml;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Quotas;

/// <summary>A disk's source as a domain XML names it: a pool volume, or a file or block device path.</summary>
public sealed record XmlDiskSource(VolumeRef? Volume, string? Path);

/// <summary>
/// What a domain XML allocates, for checking an edited definition against the quota: the vCPUs and memory (the current
/// counts when given, else the maximum) and the sources of its disks (CD-ROMs and floppies excepted). Null and empty
/// for what cannot be read: libvirt refuses such XML itself.
/// </summary>
public static class DomainXmlAllocation
{
    public static (int? Vcpus, ulong? MemoryBytes) Read(string xml) => Parse(xml) is { } domain ? DomainAllocation.Read(domain) : (null, null);

    public static IReadOnlyList<XmlDiskSource> Disks(string xml) =>
        Parse(xml)?.Element("devices")?.Elements("disk")
            .Where(disk => ((string?)disk.Attribute("device") ?? "disk") is "disk" or "lun")
            .Select(Source).OfType<XmlDiskSource>().ToList() ?? [];

    private static XmlDiskSource? Source(XElement disk)
    {
        var source = disk.Element("source");
        return (string?)disk.Attribute("type") switch
        {
            "volume" when (string?)source?.Attribute("pool") is { } pool && (string?)source.Attribute("volume") is { } name =>
                new XmlDiskSource(new VolumeRef(pool, name), null),
            "file" when (string?)source?.Attribute("file") is { } file => new XmlDiskSource(null, file),
            "block" when (string?)source?.Attribute("dev") is { } dev => new XmlDiskSource(null, dev),
            _ => null,
        };
    }

    private static XElement? Parse(string xml)
    {
        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
