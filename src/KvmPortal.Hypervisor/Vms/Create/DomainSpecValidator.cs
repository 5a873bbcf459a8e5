using System.Net;
using System.Text.RegularExpressions;

namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>
/// Checks a <see cref="DomainSpec"/> before anything is created and returns every problem at once, each keyed by
/// its field. Values that pass are safe to put into XML (it is built with System.Xml.Linq) and onto the host.
/// </summary>
public static partial class DomainSpecValidator
{
    public const int MaxNameLength = 200;
    public const ulong MinMemoryBytes = 16UL << 20;
    public const ulong MaxMemoryBytes = 16UL << 40;
    public const ulong MaxDiskBytes = 64UL << 40;
    public const int MaxVCpus = 4096;
    private const int MaxDescriptionLength = 10_000;
    private const int MaxCmdlineLength = 4096;

    /// <param name="spec">The VM to check.</param>
    /// <param name="existingNames">Names of the VMs already on the spec's host (libvirt names are case-sensitive).</param>
    public static IReadOnlyList<SpecProblem> Validate(DomainSpec spec, IReadOnlyCollection<string> existingNames)
    {
        var problems = new List<SpecProblem>();
        void Add(string field, string message) => problems.Add(new SpecProblem(field, message));

        if (CheckName(spec.Name, "VM name") is { } nameProblem) Add("Name", nameProblem);
        else if (existingNames.Contains(spec.Name)) Add("Name", $"A VM called \"{spec.Name}\" already exists on this host.");

        if (spec.Title is { } title)
        {
            if (title.Length > MaxNameLength) Add("Title", $"The title can have at most {MaxNameLength} characters.");
            if (title.Any(char.IsControl)) Add("Title", "The title must be one line without control characters.");
        }
        if (spec.Description is { } description)
        {
            if (description.Length > MaxDescriptionLength) Add("Description", $"The description can have at most {MaxDescriptionLength} characters.");
            if (description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
                Add("Description", "The description must not contain control characters.");
        }
        if (spec.OsVariantId is { Length: > 0 } os && !Uri.TryCreate(os, UriKind.Absolute, out _))
            Add("OsVariantId", "The OS variant must be a libosinfo id such as http://debian.org/debian/12.");
        if (!ArchPattern().IsMatch(spec.Arch)) Add("Arch", "The architecture must be a name such as x86_64.");
        if (spec.Machine is { } machine && !MachinePattern().IsMatch(machine))
            Add("Machine", "The machine type must be a name such as q35 or pc-i440fx-7.2.");

        CheckCpus(spec, Add);
        CheckMemory(spec, Add);
        CheckInstall(spec, Add);
        CheckDisks(spec, Add);
        CheckNics(spec, Add);

        if (spec.Vnc is { } vnc && !IPAddress.TryParse(vnc.Listen, out _))
            Add("Vnc.Listen", "The VNC listen address must be an IP address such as 127.0.0.1.");

        var boot = spec.BootOrder;
        if (boot.Distinct().Count() != boot.Count) Add("BootOrder", "Each boot device can appear only once.");
        if (boot.Contains(BootDevice.Network) && spec.Nics.Count == 0) Add("BootOrder", "Network boot needs a network interface.");
        if (boot.Contains(BootDevice.Cdrom) && EffectiveDisks.Of(spec).All(d => d.Disk.Device != DiskDevice.Cdrom))
            Add("BootOrder", "CD-ROM boot needs a CD-ROM drive.");
        if (spec.OnReboot == LifecycleAction.Preserve) Add("OnReboot", "\"Preserve\" is not possible on reboot.");
        return problems;
    }

    /// <summary>libvirt's rules for object names, plus a length limit. Null when the name is fine.</summary>
    public static string? CheckName(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) return $"The {what} is required.";
        if (name.Length > MaxNameLength) return $"The {what} can have at most {MaxNameLength} characters.";
        if (name.Contains('/')) return $"The {what} must not contain '/'.";
        if (name.Any(char.IsControl)) return $"The {what} must not contain control characters.";
        if (name.Trim() != name) return $"The {what} must not start or end with spaces.";
        return null;
    }

    /// <summary>A volume name is a file name in the pool: a name without '/', and not "." or "..".</summary>
    public static string? CheckVolumeName(string? name) =>
        name is "." or ".." ? "The volume name must not be \".\" or \"..\"." : CheckName(name, "volume name");

    /// <summary>Checks a MAC address: six hex pairs with colons, unicast, not all zeros. Null when fine.</summary>
    public static string? CheckMac(string mac)
    {
        if (!MacPattern().IsMatch(mac)) return $"\"{mac}\" is not a MAC address like 52:54:00:12:34:56.";
        var first = Convert.ToByte(mac[..2], 16);
        if ((first & 1) != 0) return $"{mac} is a multicast address; a NIC needs a unicast one (even first byte).";
        if (mac.Replace(":", "").All(c => c == '0')) return "00:00:00:00:00:00 is not a valid NIC address.";
        return null;
    }

    private static void CheckCpus(DomainSpec spec, Action<string, string> add)
    {
        var max = spec.EffectiveMaxVCpus;
        if (spec.MaxVCpus is { } m && (m < 1 || m > MaxVCpus)) add("MaxVCpus", $"The maximum vCPUs must be between 1 and {MaxVCpus}.");
        if (spec.VCpus < 1 || spec.VCpus > Math.Min(max, MaxVCpus))
            add("VCpus", $"The vCPUs must be between 1 and {Math.Min(Math.Max(max, 1), MaxVCpus)} (the maximum).");
        if (spec.Topology is { } t)
        {
            if (t.Sockets < 1 || t.Cores < 1 || t.Threads < 1) add("Topology", "Sockets, cores and threads must each be at least 1.");
            else if ((long)t.Sockets * t.Cores * t.Threads != max)
                add("Topology", $"Sockets x cores x threads ({(long)t.Sockets * t.Cores * t.Threads}) must equal the maximum vCPUs ({max}).");
        }
        if (spec.CpuMode == CpuMode.Custom && (spec.CpuModel is null || !MachinePattern().IsMatch(spec.CpuModel)))
            add("CpuModel", "A custom CPU needs a model name such as qemu64 or Skylake-Client.");
        if (spec.CpuMode == CpuMode.HostPassthrough && spec.Kind == DomainKind.Qemu)
            add("CpuMode", "Host CPU passthrough needs KVM; with emulation (qemu) choose host-model or a custom model.");
    }

    private static void CheckMemory(DomainSpec spec, Action<string, string> add)
    {
        if (spec.MemoryBytes < MinMemoryBytes) add("MemoryBytes", "The memory must be at least 16 MiB.");
        else if (spec.MemoryBytes > MaxMemoryBytes) add("MemoryBytes", "The memory can be at most 16 TiB.");
        if (spec.MaxMemoryBytes is { } max)
        {
            if (max < spec.MemoryBytes) add("MaxMemoryBytes", "The maximum memory must be at least the memory.");
            else if (max > MaxMemoryBytes) add("MaxMemoryBytes", "The maximum memory can be at most 16 TiB.");
        }
    }

    private static void CheckInstall(DomainSpec spec, Action<string, string> add)
    {
        switch (spec.Install)
        {
            case KernelBootSource kernel:
                if (CheckHostPath(kernel.KernelPath, "kernel") is { } k) add("Install.KernelPath", k);
                if (kernel.InitrdPath is { } initrd && CheckHostPath(initrd, "initrd") is { } i) add("Install.InitrdPath", i);
                if (kernel.Cmdline is { } cmdline)
                {
                    if (cmdline.Length > MaxCmdlineLength) add("Install.Cmdline", $"The kernel command line can have at most {MaxCmdlineLength} characters.");
                    if (cmdline.Any(char.IsControl)) add("Install.Cmdline", "The kernel command line must be one line.");
                }
                break;
            case PxeInstallSource when spec.Nics.Count == 0:
                add("Install", "Network (PXE) boot needs a network interface.");
                break;
            case CdromInstallSource cdrom when cdrom.Iso is null:
                add("Install.Iso", "Choose the installer ISO volume.");
                break;
        }
    }

    private static void CheckDisks(DomainSpec spec, Action<string, string> add)
    {
        var newVolumes = new HashSet<(string, string)>();
        var ide = 0;
        foreach (var (disk, field) in EffectiveDisks.Of(spec))
        {
            var sources = (disk.NewVolume is null ? 0 : 1) + (disk.ExistingVolume is null ? 0 : 1) + (disk.ExistingPath is null ? 0 : 1);
            if (sources > 1) add(field, "Choose one source for the disk: a new volume, an existing volume or a path.");
            if (sources == 0 && disk.Device == DiskDevice.Disk) add(field, "A disk needs a new or an existing volume.");
            if (disk.Device == DiskDevice.Cdrom)
            {
                if (disk.Bus == DiskBus.Virtio) add($"{field}.Bus", "A CD-ROM cannot be on the virtio bus; use SATA, SCSI or IDE.");
                if (disk.NewVolume is not null) add(field, "A CD-ROM uses an existing ISO volume, not a new one.");
            }
            if (disk.Bus == DiskBus.Ide && ++ide > 4) add($"{field}.Bus", "At most 4 IDE devices are possible.");

            if (disk.NewVolume is { } volume)
            {
                if (CheckName(volume.Pool, "pool name") is { } p) add($"{field}.Pool", p);
                if (CheckVolumeName(volume.Name) is { } n) add($"{field}.Name", n);
                else if (!newVolumes.Add((volume.Pool, volume.Name))) add($"{field}.Name", $"The volume \"{volume.Name}\" is created twice.");
                var clone = volume.BackingVolume is not null;
                if (!clone || volume.SizeBytes != 0) // a linked clone may take its template's size
                {
                    if (volume.SizeBytes == 0) add($"{field}.SizeBytes", "The disk size must be more than 0.");
                    else if (volume.SizeBytes > MaxDiskBytes) add($"{field}.SizeBytes", "The disk size can be at most 64 TiB.");
                }
                if (clone && volume.Format != VolumeFormat.Qcow2) add($"{field}.Format", "A linked clone must be qcow2.");
                if (clone && volume.Preallocation != Preallocation.Off) add($"{field}.Preallocation", "A linked clone cannot be preallocated.");
                if (volume.Preallocation == Preallocation.Metadata && volume.Format != VolumeFormat.Qcow2)
                    add($"{field}.Preallocation", "Metadata preallocation is only for qcow2; choose off or full for raw.");
                if (volume.BackingVolume is { } backing) CheckVolumeRef(backing, $"{field}.Template", add);
            }
            if (disk.ExistingVolume is { } existing) CheckVolumeRef(existing, field, add);
            if (disk.ExistingPath is { } path && CheckHostPath(path, "disk path") is { } pathProblem) add($"{field}.Path", pathProblem);
        }
    }

    private static void CheckVolumeRef(VolumeRef volume, string field, Action<string, string> add)
    {
        if (CheckName(volume.Pool, "pool name") is { } p) add($"{field}.Pool", p);
        if (CheckVolumeName(volume.Name) is { } n) add($"{field}.Name", n);
    }

    private static void CheckNics(DomainSpec spec, Action<string, string> add)
    {
        var macs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < spec.Nics.Count; i++)
        {
            var nic = spec.Nics[i];
            var field = $"Nics[{i}]";
            if (nic.Kind == NicSourceKind.Network && CheckName(nic.Source, "network name") is { } n) add($"{field}.Source", n);
            if (nic.Kind == NicSourceKind.Bridge && !BridgePattern().IsMatch(nic.Source ?? ""))
                add($"{field}.Source", "The bridge must be a host interface name (up to 15 letters, digits, '-', '_' or '.').");
            if (nic.Mac is { } mac)
            {
                if (CheckMac(mac) is { } m) add($"{field}.Mac", m);
                else if (!macs.Add(mac)) add($"{field}.Mac", $"The MAC address {mac} is used twice.");
            }
        }
    }

    private static string? CheckHostPath(string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) return $"The {what} is required.";
        if (!path.StartsWith('/')) return $"The {what} must be an absolute path on the host.";
        if (path.Split('/').Any(part => part is "." or "..")) return $"The {what} must not contain \".\" or \"..\" parts.";
        if (path.Any(char.IsControl)) return $"The {what} must not contain control characters.";
        if (path.Length > 4096) return $"The {what} is too long.";
        return null;
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex ArchPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex MachinePattern();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex MacPattern();

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,15}$")]
    private static partial Regex BridgePattern();
}
