using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>Turns a validated <see cref="DomainSpec"/> into domain XML with System.Xml.Linq (never by concatenation).</summary>
public static class DomainXmlBuilder
{
    public static readonly XNamespace LibOsInfo = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    /// <param name="spec">A spec that <see cref="DomainSpecValidator"/> accepted.</param>
    /// <param name="formatOf">
    /// The format ("raw", "qcow2", ...) of an existing volume ("pool/name") or path, when the host knows it; null
    /// leaves the driver type to libvirt.
    /// </param>
    public static XElement Build(DomainSpec spec, Func<string, string?>? formatOf = null)
    {
        formatOf ??= _ => null;
        var domain = new XElement("domain", new XAttribute("type", spec.Kind == DomainKind.Kvm ? "kvm" : "qemu"),
            new XElement("name", spec.Name));
        if (!string.IsNullOrEmpty(spec.Title)) domain.Add(new XElement("title", spec.Title));
        if (!string.IsNullOrEmpty(spec.Description)) domain.Add(new XElement("description", spec.Description));
        if (!string.IsNullOrEmpty(spec.OsVariantId))
        {
            domain.Add(new XElement("metadata",
                new XElement(LibOsInfo + "libosinfo", new XAttribute(XNamespace.Xmlns + "libosinfo", LibOsInfo),
                    new XElement(LibOsInfo + "os", new XAttribute("id", spec.OsVariantId)))));
        }
        domain.Add(
            new XElement("memory", new XAttribute("unit", "KiB"), KiB(spec.EffectiveMaxMemoryBytes)),
            new XElement("currentMemory", new XAttribute("unit", "KiB"), KiB(spec.MemoryBytes)),
            new XElement("vcpu", new XAttribute("placement", "static"), new XAttribute("current", spec.VCpus), spec.EffectiveMaxVCpus),
            Os(spec),
            new XElement("features", new XElement("acpi"), new XElement("apic")), // ACPI: power button and PCI hot-plug
            Cpu(spec),
            new XElement("clock", new XAttribute("offset", spec.Clock == ClockOffset.Utc ? "utc" : "localtime")),
            new XElement("on_poweroff", Lifecycle(spec.OnPoweroff)),
            new XElement("on_reboot", Lifecycle(spec.OnReboot)),
            new XElement("on_crash", Lifecycle(spec.OnCrash)),
            Devices(spec, formatOf));
        return domain;
    }

    /// <summary>The targets the spec's disks get, in order (vda, vdb, sda, hda, ...).</summary>
    internal static IReadOnlyList<string> Targets(IReadOnlyList<EffectiveDisk> disks)
    {
        var used = new HashSet<string>();
        return disks.Select(d =>
        {
            var target = DeviceXml.NextTarget(d.Disk.Bus, used);
            used.Add(target);
            return target;
        }).ToList();
    }

    public static IReadOnlyList<BootDevice> EffectiveBootOrder(DomainSpec spec) =>
        spec.BootOrder.Count > 0 ? spec.BootOrder : spec.Install switch
        {
            CdromInstallSource => [BootDevice.Cdrom, BootDevice.Hd],
            PxeInstallSource => [BootDevice.Network, BootDevice.Hd],
            _ => [BootDevice.Hd],
        };

    private static XElement Os(DomainSpec spec)
    {
        var type = new XElement("type", new XAttribute("arch", spec.Arch), "hvm");
        if (spec.Machine is not null) type.Add(new XAttribute("machine", spec.Machine));
        var os = new XElement("os", type);
        if (spec.Firmware == FirmwareKind.Uefi) os.Add(new XAttribute("firmware", "efi"));
        if (spec.Install is KernelBootSource kernel)
        {
            os.Add(new XElement("kernel", kernel.KernelPath));
            if (kernel.InitrdPath is not null) os.Add(new XElement("initrd", kernel.InitrdPath));
            if (kernel.Cmdline is not null) os.Add(new XElement("cmdline", kernel.Cmdline));
        }
        foreach (var device in EffectiveBootOrder(spec))
        {
            os.Add(new XElement("boot", new XAttribute("dev", BootName(device))));
        }
        if (spec.BootMenu) os.Add(new XElement("bootmenu", new XAttribute("enable", "yes")));
        return os;
    }

    private static XElement Cpu(DomainSpec spec)
    {
        var cpu = new XElement("cpu");
        switch (spec.CpuMode)
        {
            case CpuMode.HostPassthrough:
                cpu.Add(new XAttribute("mode", "host-passthrough"));
                break;
            case CpuMode.HostModel:
                cpu.Add(new XAttribute("mode", "host-model"));
                break;
            default:
                cpu.Add(new XAttribute("mode", "custom"), new XAttribute("match", "exact"),
                    new XElement("model", new XAttribute("fallback", "allow"), spec.CpuModel));
                break;
        }
        if (spec.Topology is { } t)
        {
            cpu.Add(new XElement("topology", new XAttribute("sockets", t.Sockets), new XAttribute("dies", 1),
                new XAttribute("cores", t.Cores), new XAttribute("threads", t.Threads)));
        }
        return cpu;
    }

    private static XElement Devices(DomainSpec spec, Func<string, string?> formatOf)
    {
        var devices = new XElement("devices");
        var disks = EffectiveDisks.Of(spec);
        var targets = Targets(disks);
        for (var i = 0; i < disks.Count; i++)
        {
            var disk = disks[i].Disk;
            var format = disk.NewVolume is { } created ? VolumeXmlBuilder.FormatName(created.Format)
                : disk.ExistingVolume is { } existing ? formatOf($"{existing.Pool}/{existing.Name}") ?? (disk.Device == DiskDevice.Cdrom ? "raw" : null)
                : disk.ExistingPath is { } path ? formatOf(path)
                : "raw";
            devices.Add(DeviceXml.Disk(disk, targets[i], format));
        }
        if (disks.Any(d => d.Disk.Bus == DiskBus.Scsi))
            devices.Add(new XElement("controller", new XAttribute("type", "scsi"), new XAttribute("model", "virtio-scsi")));
        foreach (var nic in spec.Nics) devices.Add(DeviceXml.Interface(nic));
        if (spec.SerialConsole)
        {
            devices.Add(new XElement("serial", new XAttribute("type", "pty"), new XElement("target", new XAttribute("port", 0))),
                new XElement("console", new XAttribute("type", "pty"),
                    new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", 0))));
        }
        if (spec.Vnc is { } vnc)
        {
            devices.Add(
                new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("port", -1), new XAttribute("autoport", "yes"),
                    new XElement("listen", new XAttribute("type", "address"), new XAttribute("address", vnc.Listen))),
                new XElement("video", new XElement("model", new XAttribute("type", "vga"))),
                new XElement("input", new XAttribute("type", "tablet"), new XAttribute("bus", "usb")));
        }
        devices.Add(new XElement("memballoon", new XAttribute("model", "virtio")));
        return devices;
    }

    private static ulong KiB(ulong bytes) => (bytes + 1023) / 1024;

    private static string Lifecycle(LifecycleAction action) => action.ToString().ToLowerInvariant();

    private static string BootName(BootDevice device) => device switch
    {
        BootDevice.Hd => "hd",
        BootDevice.Cdrom => "cdrom",
        BootDevice.Network => "network",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
    };
}
