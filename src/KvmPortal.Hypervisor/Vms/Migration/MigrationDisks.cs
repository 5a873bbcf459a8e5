using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>A disk the target host must reach: its target (e.g. "vda"), its source as the domain names it, whether only read.</summary>
internal sealed record MigratedDisk(string Target, string? Path, string? Pool, string? Volume, bool ReadOnly = false)
{
    public string Source => Path ?? $"{Pool}/{Volume}";
}

/// <summary>Which disks of a domain must exist on the target, and whether they do there.</summary>
internal static class MigrationDisks
{
    /// <summary>Disks with a file, block device or pool volume as source; empty CD-ROMs and network disks need nothing.</summary>
    public static IReadOnlyList<MigratedDisk> Read(string domainXml) =>
        XElement.Parse(domainXml).Element("devices")?.Elements("disk")
            .Select(Read).OfType<MigratedDisk>().ToList() ?? [];

    private static MigratedDisk? Read(XElement disk)
    {
        var target = (string?)disk.Element("target")?.Attribute("dev") ?? "?";
        var source = disk.Element("source");
        if (source is null) return null;
        var readOnly = disk.Element("readonly") is not null || (string?)disk.Attribute("device") is "cdrom" or "floppy";
        return (string?)disk.Attribute("type") switch
        {
            "file" when (string?)source.Attribute("file") is { } file => new MigratedDisk(target, file, null, null, readOnly),
            "block" when (string?)source.Attribute("dev") is { } dev => new MigratedDisk(target, dev, null, null, readOnly),
            "volume" when (string?)source.Attribute("pool") is { } pool && (string?)source.Attribute("volume") is { } volume =>
                new MigratedDisk(target, null, pool, volume, readOnly),
            _ => null,
        };
    }

    /// <summary>
    /// The disks <paramref name="target"/> cannot use (refreshing its pools once, for files made lately): those it has
    /// no volume for, or, when the storage is copied, writable file disks also without a pool for their folder (where
    /// libvirt creates the copy).
    /// </summary>
    public static IReadOnlyList<MigratedDisk> Missing(Connection target, IReadOnlyList<MigratedDisk> disks, bool copyStorage)
    {
        var missing = disks.Where(d => !Exists(target, d)).ToList();
        if (missing.Count == 0) return missing;
        RefreshPools(target);
        missing = missing.Where(d => !Exists(target, d)).ToList();
        if (!copyStorage || missing.Count == 0) return missing;
        var folders = PoolFolders(target);
        return missing.Where(d => d.ReadOnly || d.Path is null || !folders.Contains(System.IO.Path.GetDirectoryName(d.Path) ?? "")).ToList();
    }

    /// <summary>The target folders of the host's active pools.</summary>
    private static HashSet<string> PoolFolders(Connection target)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in target.ListAllStoragePools(ListAllStoragePoolsFlags.Active))
        {
            using (pool)
            {
                if ((string?)XElement.Parse(pool.GetXmlDescription()).Element("target")?.Element("path") is { } path)
                    folders.Add(path.TrimEnd('/'));
            }
        }
        return folders;
    }

    private static bool Exists(Connection target, MigratedDisk disk)
    {
        try
        {
            if (disk.Path is { } path)
            {
                using var byPath = target.LookupStorageVolumeByPath(path);
                return true;
            }
            using var pool = target.LookupStoragePoolByName(disk.Pool!);
            using var volume = pool.LookupVolumeByName(disk.Volume!);
            return true;
        }
        catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoStorageVol or ErrorCode.NoStoragePool or ErrorCode.OperationInvalid)
        {
            return false;
        }
    }

    private static void RefreshPools(Connection target)
    {
        foreach (var pool in target.ListAllStoragePools(ListAllStoragePoolsFlags.Active))
        {
            using (pool)
            {
                try
                {
                    pool.Refresh();
                }
                catch (LibvirtException)
                {
                    // a pool that cannot be refreshed keeps what it knew
                }
            }
        }
    }
}
