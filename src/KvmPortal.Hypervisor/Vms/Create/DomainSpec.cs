namespace KvmPortal.Hypervisor.Vms.Create;

public enum DomainKind { Kvm, Qemu }

public enum FirmwareKind { Bios, Uefi }

public enum CpuMode { HostPassthrough, HostModel, Custom }

public enum DiskDevice { Disk, Cdrom }

public enum DiskBus { Virtio, Sata, Scsi, Ide }

/// <summary>The disk cache mode; <see cref="Default"/> leaves it to the hypervisor.</summary>
public enum DiskCache { Default, None, Writeback, Writethrough, Unsafe }

public enum VolumeFormat { Raw, Qcow2 }

public enum Preallocation { Off, Metadata, Full }

public enum NicSourceKind { Network, Bridge }

public enum NicModel { Virtio, E1000, Rtl8139 }

public enum BootDevice { Hd, Cdrom, Network }

/// <summary>on_poweroff / on_reboot / on_crash.</summary>
public enum LifecycleAction { Destroy, Restart, Preserve }

public enum ClockOffset { Utc, Localtime }

/// <summary>A volume in a storage pool of the VM's host.</summary>
public sealed record VolumeRef(string Pool, string Name);

/// <summary>A volume to create in a pool. <see cref="BackingVolume"/> makes it a qcow2 overlay (linked clone).</summary>
public sealed record NewVolumeSpec(
    string Pool,
    string Name,
    ulong SizeBytes,
    VolumeFormat Format = VolumeFormat.Qcow2,
    Preallocation Preallocation = Preallocation.Off,
    VolumeRef? BackingVolume = null);

/// <summary>
/// One disk of the VM. Exactly one of <see cref="NewVolume"/>, <see cref="ExistingVolume"/> and
/// <see cref="ExistingPath"/> is set, except for a CD-ROM, which may be empty.
/// </summary>
public sealed record DiskSpec
{
    public DiskDevice Device { get; init; } = DiskDevice.Disk;
    public DiskBus Bus { get; init; } = DiskBus.Virtio;
    public DiskCache Cache { get; init; } = DiskCache.Default;
    public bool ReadOnly { get; init; }
    public bool Shareable { get; init; }
    public NewVolumeSpec? NewVolume { get; init; }
    public VolumeRef? ExistingVolume { get; init; }
    public string? ExistingPath { get; init; }

    public static DiskSpec New(string pool, string name, ulong sizeBytes, VolumeFormat format = VolumeFormat.Qcow2) =>
        new() { NewVolume = new NewVolumeSpec(pool, name, sizeBytes, format) };

    public static DiskSpec Cdrom(VolumeRef? media = null, DiskBus bus = DiskBus.Sata) =>
        new() { Device = DiskDevice.Cdrom, Bus = bus, ReadOnly = true, ExistingVolume = media };
}

/// <summary>A NIC on a libvirt network or a host bridge. Without a MAC libvirt picks a random 52:54:00:xx:xx:xx.</summary>
public sealed record NicSpec(NicSourceKind Kind, string Source, NicModel Model = NicModel.Virtio, string? Mac = null)
{
    public static NicSpec OnNetwork(string network, NicModel model = NicModel.Virtio, string? mac = null) =>
        new(NicSourceKind.Network, network, model, mac);

    public static NicSpec OnBridge(string bridge, NicModel model = NicModel.Virtio, string? mac = null) =>
        new(NicSourceKind.Bridge, bridge, model, mac);
}

/// <summary>How the guest's operating system gets installed or found.</summary>
public abstract record InstallSource;

/// <summary>Nothing: boots from the disks as given (or from nothing).</summary>
public sealed record NoInstallSource : InstallSource;

/// <summary>An installer ISO in a pool, attached as the first CD-ROM and booted first.</summary>
public sealed record CdromInstallSource(VolumeRef Iso) : InstallSource;

/// <summary>Direct kernel boot with host paths (virt-install --boot kernel=,initrd=,kernel_args=).</summary>
public sealed record KernelBootSource(string KernelPath, string? InitrdPath = null, string? Cmdline = null) : InstallSource;

/// <summary>Network (PXE) boot: needs at least one NIC.</summary>
public sealed record PxeInstallSource : InstallSource;

/// <summary>Imports an existing disk volume as the first (boot) disk.</summary>
public sealed record ImportDiskSource(VolumeRef Volume, DiskBus Bus = DiskBus.Virtio) : InstallSource;

/// <summary>A new qcow2 volume whose backing file is a template volume, as the first (boot) disk.</summary>
public sealed record LinkedCloneSource(VolumeRef Template, string Pool, string VolumeName, ulong? SizeBytes = null, DiskBus Bus = DiskBus.Virtio) : InstallSource;

public sealed record CpuTopology(int Sockets, int Cores, int Threads);

/// <summary>VNC graphics; listens on the loopback by default, so only the dashboard's console proxy reaches it.</summary>
public sealed record VncSpec(string Listen = "127.0.0.1");

/// <summary>Everything needed to create a VM, like virt-install's options.</summary>
public sealed record DomainSpec
{
    public required Guid HostId { get; init; }
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    /// <summary>A libosinfo id, e.g. "http://debian.org/debian/12"; recorded in the domain's metadata.</summary>
    public string? OsVariantId { get; init; }
    public DomainKind Kind { get; init; } = DomainKind.Kvm;
    public string Arch { get; init; } = "x86_64";
    public string? Machine { get; init; }
    public FirmwareKind Firmware { get; init; } = FirmwareKind.Bios;
    public int VCpus { get; init; } = 1;
    /// <summary>The most vCPUs the VM can be given while running; defaults to <see cref="VCpus"/>.</summary>
    public int? MaxVCpus { get; init; }
    public CpuTopology? Topology { get; init; }
    public CpuMode CpuMode { get; init; } = CpuMode.HostModel;
    /// <summary>The CPU model name for <see cref="CpuMode.Custom"/>, e.g. "qemu64".</summary>
    public string? CpuModel { get; init; }
    public required ulong MemoryBytes { get; init; }
    /// <summary>The most memory the balloon can give the VM while running; defaults to <see cref="MemoryBytes"/>.</summary>
    public ulong? MaxMemoryBytes { get; init; }
    public InstallSource Install { get; init; } = new NoInstallSource();
    public IReadOnlyList<DiskSpec> Disks { get; init; } = [];
    public IReadOnlyList<NicSpec> Nics { get; init; } = [];
    public VncSpec? Vnc { get; init; } = new();
    public bool SerialConsole { get; init; } = true;
    /// <summary>Boot order; empty means derived from the install source (CD-ROM, network or disk first).</summary>
    public IReadOnlyList<BootDevice> BootOrder { get; init; } = [];
    public bool BootMenu { get; init; }
    public LifecycleAction OnPoweroff { get; init; } = LifecycleAction.Destroy;
    public LifecycleAction OnReboot { get; init; } = LifecycleAction.Restart;
    public LifecycleAction OnCrash { get; init; } = LifecycleAction.Destroy;
    public ClockOffset Clock { get; init; } = ClockOffset.Utc;
    public bool Autostart { get; init; }
    public bool StartAfterCreate { get; init; } = true;

    public int EffectiveMaxVCpus => MaxVCpus ?? VCpus;
    public ulong EffectiveMaxMemoryBytes => MaxMemoryBytes ?? MemoryBytes;
}

/// <summary>What creating the VM would do: the domain XML and the volumes created first (virt-install --print-xml).</summary>
public sealed record ProvisioningPlan(string DomainXml, IReadOnlyList<PlannedVolume> Volumes);

/// <summary>A volume the plan creates. <see cref="Xml"/> has the backing file's path when the host could resolve it.</summary>
public sealed record PlannedVolume(string Pool, string Name, ulong SizeBytes, VolumeFormat Format, Preallocation Preallocation, VolumeRef? BackingVolume, string Xml);
