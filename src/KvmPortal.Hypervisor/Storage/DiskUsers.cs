using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// Which defined VMs use which disk images, read from every domain's persistent (or live) XML once per call, so
/// a volume list costs one pass over the domains, not one per volume.
/// </summary>
internal sealed class DiskUsers
{
    private readonly Dictionary<string, List<VolumeUser>> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Pool, string Volume), List<VolumeUser>> _byVolume = [];

    public static DiskUsers Read(Connection connection)
    {
        var users = new DiskUsers();
        var domains = connection.ListAllDomains();
        try
        {
            foreach (var domain in domains)
            {
                string xml;
                bool running;
                try
                {
                    running = domain.IsActive;
                    xml = domain.GetXmlDescription(domain.IsPersistent ? DomainXmlFlags.Inactive : DomainXmlFlags.None);
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
                {
                    continue; // undefined while we looked
                }
                var user = new VolumeUser(domain.Name, domain.Uuid, running);
                users.Add(XElement.Parse(xml), user);
            }
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }
        return users;
    }

    internal void Add(XElement domainXml, VolumeUser user)
    {
        foreach (var disk in domainXml.Element("devices")?.Elements("disk") ?? [])
        {
            for (var source = disk; source is not null; source = source.Element("backingStore"))
            {
                var src = source.Element("source");
                if (src is null) continue;
                if (((string?)src.Attribute("file") ?? (string?)src.Attribute("dev")) is { } path) AddTo(_byPath, path, user);
                if ((string?)src.Attribute("pool") is { } pool && (string?)src.Attribute("volume") is { } volume) AddTo(_byVolume, (pool, volume), user);
            }
        }
    }

    /// <summary>The VMs whose disks name the volume by path or by pool and volume name.</summary>
    public IReadOnlyList<VolumeUser> Of(string path, string pool, string volume)
    {
        var found = new List<VolumeUser>();
        if (_byPath.TryGetValue(path, out var byPath)) found.AddRange(byPath);
        if (_byVolume.TryGetValue((pool, volume), out var byVolume)) found.AddRange(byVolume);
        return found.DistinctBy(u => u.VmUuid).ToList();
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<VolumeUser>> map, TKey key, VolumeUser user) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(user)) list.Add(user);
    }
}
