using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Snapshots;

/// <summary>Reads libvirt's &lt;domainsnapshot&gt; XML and changes its description for a redefine.</summary>
internal static class SnapshotXml
{
    public static SnapshotInfo Read(string xml, bool isCurrent)
    {
        var root = XElement.Parse(xml);
        var memory = (string?)root.Element("memory")?.Attribute("snapshot");
        var state = (string?)root.Element("state") ?? "";
        var external = memory == "external"
            || (root.Element("disks")?.Elements("disk").Any(d => (string?)d.Attribute("snapshot") == "external") ?? false);
        var seconds = long.TryParse((string?)root.Element("creationTime"), out var s) ? s : 0;
        var (vcpus, memoryBytes) = root.Element("domain") is { } domain ? DomainAllocation.Read(domain) : (null, null);
        return new SnapshotInfo(
            Name: (string?)root.Element("name") ?? "",
            Description: (string?)root.Element("description"),
            CreatedAt: DateTimeOffset.FromUnixTimeSeconds(seconds),
            State: state,
            // Older XML has no <memory>: the state says whether memory was saved.
            IncludesMemory: memory is "internal" or "external" || (memory is null && state is "running" or "paused"),
            IsExternal: external,
            Parent: (string?)root.Element("parent")?.Element("name"),
            IsCurrent: isCurrent,
            Vcpus: vcpus,
            MemoryBytes: memoryBytes);
    }

    public static string WithDescription(string xml, string? description)
    {
        var root = XElement.Parse(xml);
        root.Elements("description").Remove();
        if (!string.IsNullOrWhiteSpace(description))
            root.Element("name")!.AddAfterSelf(new XElement("description", description));
        return root.ToString();
    }
}
