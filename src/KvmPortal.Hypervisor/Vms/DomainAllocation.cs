using System.Globalization;
using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Vms;

/// <summary>
/// The vCPUs and memory a &lt;domain&gt; element allocates: the current counts when given, else the maximum. Null for
/// what cannot be read.
/// </summary>
public static class DomainAllocation
{
    public static (int? Vcpus, ulong? MemoryBytes) Read(XElement domain)
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
