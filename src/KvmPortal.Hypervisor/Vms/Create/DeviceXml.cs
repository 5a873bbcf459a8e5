using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>Device elements (disk, interface) for a new domain and for hot-plugging, built with System.Xml.Linq.</summary>
public static class DeviceXml
{
    /// <summary>
    /// A disk element. <paramref name="format"/> is the driver type ("raw", "qcow2", ...); null leaves it to libvirt.
    /// Pool volumes are referenced as type='volume' so libvirt resolves the path.
    /// </summary>
    public static XElement Disk(DiskSpec disk, string targetDev, string? format)
    {
        var type = disk.ExistingPath is { } p && IsBlock(p) ? "block"
            : disk.NewVolume is not null || disk.ExistingVolume is not null ? "volume" : "file";
        var element = new XElement("disk", new XAttribute("type", type),
            new XAttribute("device", disk.Device == DiskDevice.Cdrom ? "cdrom" : "disk"));
        var driver = new XElement("driver", new XAttribute("name", "qemu"));
        if (format is not null) driver.Add(new XAttribute("type", format));
        if (disk.Cache != DiskCache.Default) driver.Add(new XAttribute("cache", disk.Cache.ToString().ToLowerInvariant()));
        element.Add(driver);

        if (disk.NewVolume is { } created) element.Add(VolumeSource(created.Pool, created.Name));
        else if (disk.ExistingVolume is { } existing) element.Add(VolumeSource(existing.Pool, existing.Name));
        else if (disk.ExistingPath is { } path) element.Add(new XElement("source", new XAttribute(IsBlock(path) ? "dev" : "file", path)));

        element.Add(new XElement("target", new XAttribute("dev", targetDev), new XAttribute("bus", BusName(disk.Bus))));
        if (disk.ReadOnly || disk.Device == DiskDevice.Cdrom) element.Add(new XElement("readonly"));
        if (disk.Shareable) element.Add(new XElement("shareable"));
        return element;
    }

    /// <summary>A CD-ROM's media: the same drive element with a new source (or none, to eject) for UpdateDevice.</summary>
    public static XElement WithMedia(XElement cdrom, VolumeRef? media, string? path)
    {
        var copy = new XElement(cdrom);
        foreach (var name in new[] { "source", "backingStore", "alias", "address" }) copy.Elements(name).Remove();
        copy.SetAttributeValue("type", media is not null ? "volume" : "file");
        var driver = copy.Element("driver");
        if (driver is null) copy.AddFirst(driver = new XElement("driver", new XAttribute("name", "qemu")));
        driver.SetAttributeValue("type", "raw");
        if (media is not null) driver.AddAfterSelf(VolumeSource(media.Pool, media.Name));
        else if (path is not null) driver.AddAfterSelf(new XElement("source", new XAttribute("file", path)));
        return copy;
    }

    public static XElement Interface(NicSpec nic)
    {
        var element = new XElement("interface",
            new XAttribute("type", nic.Kind == NicSourceKind.Network ? "network" : "bridge"));
        if (nic.Mac is { } mac) element.Add(new XElement("mac", new XAttribute("address", mac.ToLowerInvariant())));
        element.Add(new XElement("source", new XAttribute(nic.Kind == NicSourceKind.Network ? "network" : "bridge", nic.Source)));
        element.Add(new XElement("model", new XAttribute("type", nic.Model.ToString().ToLowerInvariant())));
        return element;
    }

    public static string BusName(DiskBus bus) => bus.ToString().ToLowerInvariant();

    /// <summary>The target name prefix of a bus: vd for virtio, sd for SATA/SCSI, hd for IDE.</summary>
    public static string TargetPrefix(DiskBus bus) => bus switch
    {
        DiskBus.Virtio => "vd",
        DiskBus.Ide => "hd",
        _ => "sd",
    };

    /// <summary>The first target name for the bus not in <paramref name="used"/> (vda, vdb, ..., vdz, vdaa, ...).</summary>
    public static string NextTarget(DiskBus bus, ICollection<string> used)
    {
        var prefix = TargetPrefix(bus);
        for (var i = 0; ; i++)
        {
            var name = prefix + Letters(i);
            if (!used.Contains(name)) return name;
        }
    }

    private static string Letters(int index)
    {
        var letters = "";
        index++;
        while (index > 0)
        {
            index--;
            letters = (char)('a' + index % 26) + letters;
            index /= 26;
        }
        return letters;
    }

    private static XElement VolumeSource(string pool, string volume) =>
        new("source", new XAttribute("pool", pool), new XAttribute("volume", volume));

    private static bool IsBlock(string path) => path.StartsWith("/dev/", StringComparison.Ordinal);
}
