using System.Globalization;
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
    public static (int? Vcpus, ulong? MemoryBytes) Read(string xml) => Parse(xml) is { } domain ? Compute(domain) : (null, null);

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

    private static (int? Vcpus, ulong? MemoryBytes) Compute(XElement domain)
    {
        var vcpu = domain.Element("vcpu");
        var vcpus = int.TryParse((string?)vcpu?.Attribute("current") ?? vcpu?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count : (int?)null;
        return (vcpus, Bytes(domain.Element("currentMemory") ?? domain.Element("memory")));
    }

    private static ulong? Bytes(XElement? memory)
    {
        if (memory is null || !ulong.TryParse(memory.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return null;
        try
        {
            return MemoryUnits.ToBytes(value, (string?)memory.Attribute("unit"));
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }
}
