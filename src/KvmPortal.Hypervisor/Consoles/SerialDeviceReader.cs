using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// Lists a running domain's serial ports and consoles from its live XML. A &lt;console&gt; that is only the
/// view of a serial port (same alias, as QEMU's default ttyS0 console) is listed once, as the serial port.
/// </summary>
internal static class SerialDeviceReader
{
    public static IReadOnlyList<SerialDevice> Read(string liveXml, string vmName)
    {
        var domain = XDocument.Parse(liveXml).Root!;
        if ((string?)domain.Attribute("id") is null or "-1")
            throw new HypervisorException($"{vmName} is not running, so it has no serial console.") { Kind = HypervisorErrorKind.InvalidState };

        var devices = domain.Element("devices")?.Elements().Where(e => e.Name == "serial" || e.Name == "console") ?? [];
        return devices
            .Select(e => (Element: e, Alias: (string?)e.Element("alias")?.Attribute("name")))
            .Where(d => !string.IsNullOrEmpty(d.Alias))
            .DistinctBy(d => d.Alias)
            .Select(d => new SerialDevice(d.Alias!, d.Element.Name.LocalName,
                (string?)d.Element.Element("target")?.Attribute("type") ?? d.Element.Name.LocalName,
                (int?)d.Element.Element("target")?.Attribute("port") ?? 0))
            .ToList();
    }
}
