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
        void Add(string field, string key, string message, params string[] arguments) => problems.Add(SpecProblem.Of(field, key, message, arguments));
        var maxName = SpecProblem.Number(MaxNameLength);

        if (CheckName(spec.Name, "VmName", "Name") is { } nameProblem) problems.Add(nameProblem);
        else if (existingNames.Contains(spec.Name)) Add("Name", "VmNameTaken", $"A VM called \"{spec.Name}\" already exists on this host.", spec.Name);

        if (spec.Title is { } title)
        {
            if (title.Length > MaxNameLength) Add("Title", "TitleTooLong", $"The title can have at most {maxName} characters.", maxName);
            if (title.Any(char.IsControl)) Add("Title", "TitleNotOneLine", "The title must be one line without control characters.");
        }
        if (spec.Description is { } description)
        {
            var max = SpecProblem.Number(MaxDescriptionLength);
            if (description.Length > MaxDescriptionLength) Add("Description", "DescriptionTooLong", $"The description can have at most {max} characters.", max);
            if (description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
                Add("Description", "DescriptionHasControl", "The description must not contain control characters.");
        }
        if (spec.OsVariantId is { Length: > 0 } os && !Uri.TryCreate(os, UriKind.Absolute, out _))
            Add("OsVariantId", "OsVariantInvalid", "The OS variant must be a libosinfo id such as http://debian.org/debian/12.");
        if (!ArchPattern().IsMatch(spec.Arch)) Add("Arch", "ArchInvalid", "The architecture must be a name such as x86_64.");
        if (spec.Machine is { } machine && !MachinePattern().IsMatch(machine))
            Add("Machine", "MachineInvalid", "The machine type must be a name such as q35 or pc-i440fx-7.2.");

        CheckCpus(spec, Add);
        CheckMemory(spec, Add);
        CheckInstall(spec, problems, Add);
        CheckDisks(spec, problems, Add);
        CheckNics(spec, problems, Add);

        if (spec.Vnc is { } vnc && !IPAddress.TryParse(vnc.Listen, out _))
            Add("Vnc.Listen", "VncListenInvalid", "The VNC listen address must be an IP address such as 127.0.0.1.");

        var boot = spec.BootOrder;
        if (boot.Distinct().Count() != boot.Count) Add("BootOrder", "BootDeviceTwice", "Each boot device can appear only once.");
        if (boot.Contains(BootDevice.Network) && spec.Nics.Count == 0) Add("BootOrder", "NetworkBootNeedsNic", "Network boot needs a network interface.");
        if (boot.Contains(BootDevice.Cdrom) && EffectiveDisks.Of(spec).All(d => d.Disk.Device != DiskDevice.Cdrom))
            Add("BootOrder", "CdromBootNeedsDrive", "CD-ROM boot needs a CD-ROM drive.");
        if (spec.OnReboot == LifecycleAction.Preserve) Add("OnReboot", "RebootPreserve", "\"Preserve\" is not possible on reboot.");
        return problems;
    }

    /// <summary>
    /// libvirt's rules for object names, plus a length limit. Null when the name is fine.
    /// <paramref name="subject"/> says which name it is: VmName, VolumeName, PoolName, NetworkName or NewName.
    /// </summary>
    public static SpecProblem? CheckName(string? name, string subject, string field)
    {
        var what = NameWords[subject];
        var max = SpecProblem.Number(MaxNameLength);
        SpecProblem Problem(string key, string message, params string[] arguments) => SpecProblem.Of(field, key, message, arguments) with { Subject = subject };

        if (string.IsNullOrWhiteSpace(name)) return Problem("NameRequired", $"The {what} is required.");
        if (name.Length > MaxNameLength) return Problem("NameTooLong", $"The {what} can have at most {max} characters.", max);
        if (name.Contains('/')) return Problem("NameHasSlash", $"The {what} must not contain '/'.");
        if (name.Any(char.IsControl)) return Problem("NameHasControl", $"The {what} must not contain control characters.");
        if (name.Trim() != name) return Problem("NameHasOuterSpaces", $"The {what} must not start or end with spaces.");
        return null;
    }

    /// <summary>A volume name is a file name in the pool: a name without '/', and not "." or "..".</summary>
    public static SpecProblem? CheckVolumeName(string? name, string field) =>
        name is "." or ".."
            ? SpecProblem.Of(field, "VolumeNameDots", "The volume name must not be \".\" or \"..\".")
            : CheckName(name, "VolumeName", field);

    /// <summary>Checks a MAC address: six hex pairs with colons, unicast, not all zeros. Null when fine.</summary>
    public static SpecProblem? CheckMac(string mac, string field = "Mac")
    {
        if (!MacPattern().IsMatch(mac)) return SpecProblem.Of(field, "MacInvalid", $"\"{mac}\" is not a MAC address like 52:54:00:12:34:56.", mac);
        var first = Convert.ToByte(mac[..2], 16);
        if ((first & 1) != 0) return SpecProblem.Of(field, "MacMulticast", $"{mac} is a multicast address; a NIC needs a unicast one (even first byte).", mac);
        if (mac.Replace(":", "").All(c => c == '0')) return SpecProblem.Of(field, "MacZero", "00:00:00:00:00:00 is not a valid NIC address.");
        return null;
    }

    /// <summary>The English words for the names <see cref="CheckName"/> checks, by subject.</summary>
    private static readonly Dictionary<string, string> NameWords = new(StringComparer.Ordinal)
    {
        ["VmName"] = "VM name", ["VolumeName"] = "volume name", ["PoolName"] = "pool name",
        ["NetworkName"] = "network name", ["NewName"] = "new name",
    };

    /// <summary>The English words for the host paths <see cref="CheckHostPath"/> checks, by subject.</summary>
    private static readonly Dictionary<string, string> PathWords = new(StringComparer.Ordinal)
    {
        ["KernelPath"] = "kernel", ["InitrdPath"] = "initrd", ["DiskPath"] = "disk path",
    };

    private delegate void AddProblem(string field, string key, string message, params string[] arguments);

    private static void CheckCpus(DomainSpec spec, AddProblem add)
    {
        var max = spec.EffectiveMaxVCpus;
        var limit = SpecProblem.Number(MaxVCpus);
        if (spec.MaxVCpus is { } m && (m < 1 || m > MaxVCpus)) add("MaxVCpus", "MaxVcpusRange", $"The maximum vCPUs must be between 1 and {limit}.", limit);
        if (spec.VCpus < 1 || spec.VCpus > Math.Min(max, MaxVCpus))
        {
            var upper = SpecProblem.Number(Math.Min(Math.Max(max, 1), MaxVCpus));
            add("VCpus", "VcpusRange", $"The vCPUs must be between 1 and {upper} (the maximum).", upper);
        }
        if (spec.Topology is { } t)
        {
            if (t.Sockets < 1 || t.Cores < 1 || t.Threads < 1) add("Topology", "TopologyAtLeastOne", "Sockets, cores and threads must each be at least 1.");
            else if ((long)t.Sockets * t.Cores * t.Threads != max)
            {
                var product = SpecProblem.Number((long)t.Sockets * t.Cores * t.Threads);
                add("Topology", "TopologyMismatch", $"Sockets x cores x threads ({product}) must equal the maximum vCPUs ({SpecProblem.Number(max)}).", product, SpecProblem.Number(max));
            }
        }
        if (spec.CpuMode == CpuMode.Custom && (spec.CpuModel is null || !MachinePattern().IsMatch(spec.CpuModel)))
            add("CpuModel", "CpuModelRequired", "A custom CPU needs a model name such as qemu64 or Skylake-Client.");
        if (spec.CpuMode == CpuMode.HostPassthrough && spec.Kind == DomainKind.Qemu)
            add("CpuMode", "PassthroughNeedsKvm", "Host CPU passthrough needs KVM; with emulation (qemu) choose host-model or a custom model.");
    }

    private static void CheckMemory(DomainSpec spec, AddProblem add)
    {
        var min = SpecProblem.Size(MinMemoryBytes);
        var most = SpecProblem.Size(MaxMemoryBytes);
        if (spec.MemoryBytes < MinMemoryBytes) add("MemoryBytes", "MemoryTooSmall", $"The memory must be at least {min}.", min);
        else if (spec.MemoryBytes > MaxMemoryBytes) add("MemoryBytes", "MemoryTooLarge", $"The memory can be at most {most}.", most);
        if (spec.MaxMemoryBytes is { } max)
        {
            if (max < spec.MemoryBytes) add("MaxMemoryBytes", "MaxMemoryBelowMemory", "The maximum memory must be at least the memory.");
            else if (max > MaxMemoryBytes) add("MaxMemoryBytes", "MaxMemoryTooLarge", $"The maximum memory can be at most {most}.", most);
        }
    }

    private static void CheckInstall(DomainSpec spec, List<SpecProblem> problems, AddProblem add)
    {
        switch (spec.Install)
        {
            case KernelBootSource kernel:
                if (CheckHostPath(kernel.KernelPath, "KernelPath", "Install.KernelPath") is { } k) problems.Add(k);
                if (kernel.InitrdPath is { } initrd && CheckHostPath(initrd, "InitrdPath", "Install.InitrdPath") is { } i) problems.Add(i);
                if (kernel.Cmdline is { } cmdline)
                {
                    var max = SpecProblem.Number(MaxCmdlineLength);
                    if (cmdline.Length > MaxCmdlineLength) add("Install.Cmdline", "CmdlineTooLong", $"The kernel command line can have at most {max} characters.", max);
                    if (cmdline.Any(char.IsControl)) add("Install.Cmdline", "CmdlineNotOneLine", "The kernel command line must be one line.");
                }
                break;
            case PxeInstallSource when spec.Nics.Count == 0:
                add("Install", "PxeNeedsNic", "Network (PXE) boot needs a network interface.");
                break;
            case CdromInstallSource cdrom when cdrom.Iso is null:
                add("Install.Iso", "IsoRequired", "Choose the installer ISO volume.");
                break;
        }
    }

    private static void CheckDisks(DomainSpec spec, List<SpecProblem> problems, AddProblem add)
    {
        var newVolumes = new HashSet<(string, string)>();
        var ide = 0;
        foreach (var (disk, field) in EffectiveDisks.Of(spec))
        {
            var sources = (disk.NewVolume is null ? 0 : 1) + (disk.ExistingVolume is null ? 0 : 1) + (disk.ExistingPath is null ? 0 : 1);
            if (sources > 1) add(field, "DiskOneSource", "Choose one source for the disk: a new volume, an existing volume or a path.");
            if (sources == 0 && disk.Device == DiskDevice.Disk) add(field, "DiskNeedsVolume", "A disk needs a new or an existing volume.");
            if (disk.Device == DiskDevice.Cdrom)
            {
                if (disk.Bus == DiskBus.Virtio) add($"{field}.Bus", "CdromOnVirtio", "A CD-ROM cannot be on the virtio bus; use SATA, SCSI or IDE.");
                if (disk.NewVolume is not null) add(field, "CdromNewVolume", "A CD-ROM uses an existing ISO volume, not a new one.");
            }
            if (disk.Bus == DiskBus.Ide && ++ide > 4) add($"{field}.Bus", "TooManyIde", "At most 4 IDE devices are possible.", SpecProblem.Number(4));

            if (disk.NewVolume is { } volume)
            {
                if (CheckName(volume.Pool, "PoolName", $"{field}.Pool") is { } p) problems.Add(p);
                if (CheckVolumeName(volume.Name, $"{field}.Name") is { } n) problems.Add(n);
                else if (!newVolumes.Add((volume.Pool, volume.Name)))
                    add($"{field}.Name", "VolumeCreatedTwice", $"The volume \"{volume.Name}\" is created twice.", volume.Name);
                var clone = volume.BackingVolume is not null;
                if (!clone || volume.SizeBytes != 0) // a linked clone may take its template's size
                {
                    var most = SpecProblem.Size(MaxDiskBytes);
                    if (volume.SizeBytes == 0) add($"{field}.SizeBytes", "DiskSizeZero", "The disk size must be more than 0.");
                    else if (volume.SizeBytes > MaxDiskBytes) add($"{field}.SizeBytes", "DiskSizeTooLarge", $"The disk size can be at most {most}.", most);
                }
                if (clone && volume.Format != VolumeFormat.Qcow2) add($"{field}.Format", "CloneNotQcow2", "A linked clone must be qcow2.");
                if (clone && volume.Preallocation != Preallocation.Off) add($"{field}.Preallocation", "ClonePreallocated", "A linked clone cannot be preallocated.");
                if (volume.Preallocation == Preallocation.Metadata && volume.Format != VolumeFormat.Qcow2)
                    add($"{field}.Preallocation", "MetadataPreallocationNeedsQcow2", "Metadata preallocation is only for qcow2; choose off or full for raw.");
                if (volume.BackingVolume is { } backing) CheckVolumeRef(backing, $"{field}.Template", problems);
            }
            if (disk.ExistingVolume is { } existing) CheckVolumeRef(existing, field, problems);
            if (disk.ExistingPath is { } path && CheckHostPath(path, "DiskPath", $"{field}.Path") is { } pathProblem) problems.Add(pathProblem);
        }
    }

    private static void CheckVolumeRef(VolumeRef volume, string field, List<SpecProblem> problems)
    {
        if (CheckName(volume.Pool, "PoolName", $"{field}.Pool") is { } p) problems.Add(p);
        if (CheckVolumeName(volume.Name, $"{field}.Name") is { } n) problems.Add(n);
    }

    private static void CheckNics(DomainSpec spec, List<SpecProblem> problems, AddProblem add)
    {
        var macs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < spec.Nics.Count; i++)
        {
            var nic = spec.Nics[i];
            var field = $"Nics[{i}]";
            if (nic.Kind == NicSourceKind.Network && CheckName(nic.Source, "NetworkName", $"{field}.Source") is { } n) problems.Add(n);
            if (nic.Kind == NicSourceKind.Bridge && !BridgePattern().IsMatch(nic.Source ?? ""))
                add($"{field}.Source", "BridgeInvalid", "The bridge must be a host interface name (up to 15 letters, digits, '-', '_' or '.').");
            if (nic.Mac is { } mac)
            {
                if (CheckMac(mac, $"{field}.Mac") is { } m) problems.Add(m);
                else if (!macs.Add(mac)) add($"{field}.Mac", "MacTwice", $"The MAC address {mac} is used twice.", mac);
            }
        }
    }

    private static SpecProblem? CheckHostPath(string? path, string subject, string field)
    {
        var what = PathWords[subject];
        SpecProblem Problem(string key, string message) => SpecProblem.Of(field, key, message) with { Subject = subject };

        if (string.IsNullOrWhiteSpace(path)) return Problem("PathRequired", $"The {what} is required.");
        if (!path.StartsWith('/')) return Problem("PathNotAbsolute", $"The {what} must be an absolute path on the host.");
        if (path.Split('/').Any(part => part is "." or "..")) return Problem("PathHasDots", $"The {what} must not contain \".\" or \"..\" parts.");
        if (path.Any(char.IsControl)) return Problem("PathHasControl", $"The {what} must not contain control characters.");
        if (path.Length > 4096) return Problem("PathTooLong", $"The {what} is too long.");
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
