using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Quotas;

/// <summary>
/// The vCPUs and memory a domain XML allocates (the current counts when given, else the maximum), for checking an
/// edited definition against the quota. Null for what cannot be read: libvirt refuses such XML itself.
/// </summary>
public static class DomainXmlAllocation
{
    public static (int? Vcpus, ulong? MemoryBytes) Read(string xml)
    {
        XElement domain;
        try
        {
            domain = XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return (null, null);
        }
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
