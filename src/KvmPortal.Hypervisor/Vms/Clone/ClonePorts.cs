using System.Globalization;
using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Clone;

/// <summary>
/// Serial, parallel, console and channel devices that listen on a fixed TCP or UDP port (<c>&lt;serial type='tcp'&gt;
/// &lt;source mode='bind' service='4555'/&gt;</c>): copied verbatim, the clone could not run beside its source. Each such
/// port gets the next port above it that no VM on the host listens on in its definition.
/// </summary>
internal static class ClonePorts
{
    private static readonly HashSet<string> CharDevices = new(StringComparer.Ordinal) { "serial", "parallel", "console", "channel" };
    private const int FirstUnprivilegedPort = 1024;
    private const int LastPort = 65535;

    /// <summary>The source's listening ports mapped to the clone's; empty when it has none.</summary>
    public static IReadOnlyDictionary<int, int> Plan(Connection connection, XElement source)
    {
        var bound = BoundPorts(source).Distinct().Order().ToList();
        if (bound.Count == 0) return new Dictionary<int, int>();
        var used = UsedOnHost(connection);
        var changes = new Dictionary<int, int>();
        foreach (var port in bound)
        {
            var free = NextFree(port, used);
            used.Add(free);
            changes[port] = free;
        }
        return changes;
    }

    /// <summary>Points the clone's listening devices at their new ports.</summary>
    public static void Apply(XElement devices, IReadOnlyDictionary<int, int> changes)
    {
        foreach (var source in ListeningSources(devices))
        {
            if (PortOf(source) is { } port && changes.TryGetValue(port, out var free))
                source.SetAttributeValue("service", free.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal static IEnumerable<int> BoundPorts(XElement domain) =>
        domain.Element("devices") is { } devices ? ListeningSources(devices).Select(PortOf).OfType<int>() : [];

    private static IEnumerable<XElement> ListeningSources(XElement devices) =>
        devices.Elements()
            .Where(d => CharDevices.Contains(d.Name.LocalName) && (string?)d.Attribute("type") is "tcp" or "udp")
            .SelectMany(d => d.Elements("source"))
            .Where(s => (string?)s.Attribute("mode") == "bind");

    private static int? PortOf(XElement source) =>
        int.TryParse((string?)source.Attribute("service"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= LastPort
            ? port : null;

    /// <summary>Ports every VM on the host listens on, as defined and, for running ones, as running.</summary>
    private static HashSet<int> UsedOnHost(Connection connection)
    {
        var used = new HashSet<int>();
        var domains = connection.ListAllDomains();
        try
        {
            foreach (var domain in domains)
            {
                try
                {
                    used.UnionWith(BoundPorts(XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive))));
                    if (domain.IsActive) used.UnionWith(BoundPorts(XElement.Parse(domain.GetXmlDescription())));
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
                {
                    // undefined while we looked: it holds no port any more
                }
            }
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }
        return used;
    }

    private static int NextFree(int port, HashSet<int> used)
    {
        var candidate = port;
        for (var tries = 0; tries < LastPort; tries++)
        {
            candidate = candidate >= LastPort ? FirstUnprivilegedPort : candidate + 1;
            if (!used.Contains(candidate)) return candidate;
        }
        throw HypervisorException.Because(HypervisorErrorKind.InvalidState, $"No free port is left on the host for the clone's console port {port}.");
    }
}
