using System.Xml.Linq;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Templates;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Clone;

/// <summary>Reads the source on its host and decides, disk by disk, what the clone gets; refuses what cannot be cloned.</summary>
internal static class ClonePlanner
{
    /// <summary>Pool types whose volumes are files a qcow2 overlay can name as its backing file.</summary>
    private static readonly HashSet<string> FilePoolTypes = new(StringComparer.Ordinal) { "dir", "fs", "netfs" };

    public static ClonePlan Plan(Connection connection, Guid sourceUuid, CloneSpec spec)
    {
        using var domain = connection.LookupDomainByUuid(sourceUuid);
        var sourceName = domain.Name;
        if (spec.FromTemplate && !VmTemplateTag.IsTemplate(domain))
            throw HypervisorException.Because(HypervisorErrorKind.NotATemplate, $"{sourceName} is not a template: mark it as a template first, or clone it.", sourceName);
        if (domain.GetState().State != DomainState.Shutoff)
            throw HypervisorException.Because(HypervisorErrorKind.InvalidState, $"{sourceName} must be shut off to be cloned.");
        RefuseTakenName(connection, spec.Name);
        if (spec.TargetPool is { } targetPool) RefuseUnusablePool(connection, targetPool);

        var xml = domain.GetXmlDescription(DomainXmlFlags.Inactive);
        var disks = new List<ClonedDisk>();
        var root = XDocument.Parse(xml).Root!;
        foreach (var disk in root.Element("devices")?.Elements("disk") ?? [])
        {
            if (IsShared(disk)) continue;
            disks.Add(PlanDisk(connection, disk, spec));
        }
        return new ClonePlan(sourceName, xml, disks) { Ports = ClonePorts.Plan(connection, root) };
    }

    /// <summary>CD-ROMs, read-only and shareable disks are used by the clone as they are; so are empty drives.</summary>
    private static bool IsShared(XElement disk) =>
        (string?)disk.Attribute("device") is "cdrom" or "floppy"
        || disk.Element("readonly") is not null || disk.Element("shareable") is not null
        || disk.Element("source") is not { HasAttributes: true };

    private static ClonedDisk PlanDisk(Connection connection, XElement disk, CloneSpec spec)
    {
        var target = (string?)disk.Element("target")?.Attribute("dev") ?? "?";
        var source = disk.Element("source")!;
        using var volume = LookupVolume(connection, target, (string?)disk.Attribute("type"), source);
        using var pool = volume.GetPool();
        var info = volume.GetInfo();
        var format = StorageQueries.FormatOf(volume) ?? "raw";
        if (spec.Linked)
        {
            var poolType = (string?)XElement.Parse(pool.GetXmlDescription()).Attribute("type") ?? "";
            if (info.Type != StorageVolumeType.File || !FilePoolTypes.Contains(poolType))
                throw HypervisorException.Because(HypervisorErrorKind.CloneDiskNotLinkable,
                    $"Disk {target} cannot be cloned linked: its volume in pool {pool.Name} ({poolType}) is not a file a qcow2 overlay can use as backing file. Make a full clone.",
                    target, pool.Name);
        }
        var targetPool = spec.Linked ? pool.Name : spec.TargetPool ?? pool.Name;
        var extension = spec.Linked || format == "qcow2" ? "qcow2" : "img";
        var targetVolume = $"{spec.Name}-{target}.{extension}";
        if (DomainSpecValidator.CheckVolumeName(targetVolume, "Name") is { } problem) throw HypervisorException.Invalid([problem with { Field = "Name" }]);
        return new ClonedDisk(target, pool.Name, volume.Name, volume.GetPath(), format, info.CapacityBytes, info.AllocationBytes, targetPool, targetVolume);
    }

    private static StorageVolume LookupVolume(Connection connection, string target, string? type, XElement source)
    {
        var path = type switch
        {
            "file" or null => (string?)source.Attribute("file"),
            "block" => (string?)source.Attribute("dev"),
            _ => null,
        };
        try
        {
            if (type == "volume")
            {
                using var pool = connection.LookupStoragePoolByName((string?)source.Attribute("pool") ?? "");
                return pool.LookupVolumeByName((string?)source.Attribute("volume") ?? "");
            }
            if (path is not null) return connection.LookupStorageVolumeByPath(path);
        }
        catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoStorageVol or ErrorCode.NoStoragePool)
        {
        }
        var where = path ?? (string?)source.Attribute("name") ?? type ?? "";
        throw HypervisorException.Because(HypervisorErrorKind.CloneDiskNotInPool,
            $"Disk {target} ({where}) is not a volume of a storage pool, so it cannot be copied. Move it into a pool or detach it first.", target, where);
    }

    private static void RefuseUnusablePool(Connection connection, string name)
    {
        try
        {
            using var pool = connection.LookupStoragePoolByName(name);
            if (pool.IsActive) return;
            throw HypervisorException.Invalid([SpecProblem.Of("TargetPool", "PoolNotActive", $"Storage pool {name} is not active.", name)]);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
        {
            throw HypervisorException.Invalid([SpecProblem.Of("TargetPool", "PoolMissing", $"There is no storage pool {name} on this host.", name)]);
        }
    }

    private static void RefuseTakenName(Connection connection, string name)
    {
        try
        {
            using var existing = connection.LookupDomainByName(name);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
            return;
        }
        throw HypervisorException.Invalid([SpecProblem.Of("Name", "VmNameTaken", $"A VM called \"{name}\" already exists on this host.", name)]);
    }
}
