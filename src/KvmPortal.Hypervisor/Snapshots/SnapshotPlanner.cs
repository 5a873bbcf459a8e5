using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Snapshots;

/// <summary>The &lt;domainsnapshot&gt; XML and flags for a snapshot, or a refusal when the VM's disks do not allow it.</summary>
internal static class SnapshotPlanner
{
    /// <param name="devices">The VM's live &lt;devices&gt;.</param>
    /// <param name="isActive">Whether the VM runs (or is paused).</param>
    /// <param name="pathOf">The file of a disk's source (resolving pool volumes); null when it is no file.</param>
    public static (string Xml, SnapshotCreateFlags Flags) Plan(XElement devices, bool isActive, SnapshotSpec spec, Func<XElement, string?> pathOf)
    {
        var root = new XElement("domainsnapshot");
        if (!string.IsNullOrWhiteSpace(spec.Name)) root.Add(new XElement("name", spec.Name.Trim()));
        if (!string.IsNullOrWhiteSpace(spec.Description)) root.Add(new XElement("description", spec.Description));
        var disks = devices.Elements("disk").ToList();
        return spec.Kind == SnapshotKind.Internal
            ? (PlanInternal(root, disks, isActive, spec), SnapshotCreateFlags.Atomic)
            : (PlanExternal(root, disks, spec, pathOf), SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.Atomic);
    }

    private static string PlanInternal(XElement root, List<XElement> disks, bool isActive, SnapshotSpec spec)
    {
        if (isActive && !spec.IncludeMemory)
            throw Refusal(HypervisorErrorKind.SnapshotMemoryRequired,
                "An internal snapshot of a running VM always saves its memory; choose an external disk-only snapshot to leave it out.");
        if (!isActive && spec.IncludeMemory)
            throw Refusal(HypervisorErrorKind.SnapshotMemoryNeedsRunning, "The memory can only be saved while the VM runs.");
        var writable = 0;
        foreach (var disk in disks)
        {
            var info = DomainXmlReader.ReadDisk(disk);
            if (disk.Element("source") is null) continue; // an empty drive holds nothing to snapshot
            if (IsReadOnly(info))
                throw Refusal(HypervisorErrorKind.SnapshotReadOnlyDisk,
                    $"Disk {info.Target} is a CD-ROM with media or read-only, which blocks an internal snapshot: eject or detach it, or take an external disk-only snapshot.",
                    info.Target);
            if (info.Format != "qcow2")
                throw Refusal(HypervisorErrorKind.SnapshotDiskFormat,
                    $"Disk {info.Target} is {info.Format ?? "raw"}: internal snapshots need qcow2 disks; take an external disk-only snapshot instead.",
                    info.Target, info.Format ?? "raw");
            writable++;
        }
        if (writable == 0) throw NoDisks();
        root.Add(new XElement("memory", new XAttribute("snapshot", isActive ? "internal" : "no")));
        return root.ToString();
    }

    private static string PlanExternal(XElement root, List<XElement> disks, SnapshotSpec spec, Func<XElement, string?> pathOf)
    {
        if (spec.IncludeMemory)
            throw Refusal(HypervisorErrorKind.SnapshotExternalNoMemory, "External snapshots are disk-only: the memory is not saved.");
        if (string.IsNullOrWhiteSpace(spec.Name))
            throw Refusal(HypervisorErrorKind.SnapshotNameRequired, "An external snapshot needs a name: its overlay files are named after it.");
        var name = spec.Name.Trim();
        var entries = new XElement("disks");
        foreach (var disk in disks)
        {
            var info = DomainXmlReader.ReadDisk(disk);
            if (disk.Element("source") is null || IsReadOnly(info))
            {
                entries.Add(new XElement("disk", new XAttribute("name", info.Target), new XAttribute("snapshot", "no")));
                continue;
            }
            var path = pathOf(disk) ?? throw Refusal(HypervisorErrorKind.SnapshotDiskNotFile,
                $"Disk {info.Target} is no file or volume, so it cannot get an overlay file for an external snapshot.", info.Target);
            entries.Add(new XElement("disk", new XAttribute("name", info.Target), new XAttribute("snapshot", "external"),
                new XElement("driver", new XAttribute("type", "qcow2")),
                new XElement("source", new XAttribute("file", OverlayPath(path, name)))));
        }
        if (!entries.Elements().Any(d => (string?)d.Attribute("snapshot") == "external")) throw NoDisks();
        root.Add(new XElement("memory", new XAttribute("snapshot", "no")), entries);
        return root.ToString();
    }

    /// <summary>The overlay next to the disk: vm.qcow2 with snapshot s1 becomes vm.s1.qcow2.</summary>
    internal static string OverlayPath(string diskPath, string snapshotName)
    {
        var directory = Path.GetDirectoryName(diskPath) ?? "/";
        var safe = string.Concat(snapshotName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(diskPath)}.{safe}.qcow2");
    }

    private static bool IsReadOnly(DiskInfo disk) => disk.ReadOnly || disk.Device is "cdrom" or "floppy";

    private static HypervisorException NoDisks() =>
        Refusal(HypervisorErrorKind.SnapshotNoDisks, "The VM has no writable disk to snapshot.");

    private static HypervisorException Refusal(HypervisorErrorKind kind, string message, params string[] arguments) =>
        HypervisorException.Because(kind, message, arguments);
}
