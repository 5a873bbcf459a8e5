using System.Text.RegularExpressions;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>Checks a <see cref="PoolSpec"/> before its XML is built; returns every problem at once, keyed by field.</summary>
public static partial class PoolSpecValidator
{
    public const int MaxNameLength = 200;

    public static IReadOnlyList<SpecProblem> Validate(PoolSpec spec, IReadOnlyCollection<string> existingPools)
    {
        var problems = new List<SpecProblem>();
        void Add(string field, string key, string message, params string[] arguments) => problems.Add(SpecProblem.Of(field, key, message, arguments));
        void AddAbout(string field, string subject, string key, string message) => problems.Add(SpecProblem.Of(field, key, message) with { Subject = subject });
        var maxName = SpecProblem.Number(MaxNameLength);

        if (string.IsNullOrWhiteSpace(spec.Name)) Add("Name", "PoolNameRequired", "The pool needs a name.");
        else if (spec.Name.Length > MaxNameLength) Add("Name", "PoolNameTooLong", $"The name can have at most {maxName} characters.", maxName);
        else if (!NamePattern().IsMatch(spec.Name)) Add("Name", "PoolNameInvalid", "The name can use letters, digits, '.', '-' and '_', and must not start with '.' or '-'.");
        else if (existingPools.Contains(spec.Name)) Add("Name", "PoolNameTaken", $"A pool called \"{spec.Name}\" already exists on this host.", spec.Name);

        // Each check names what it checks by a subject (translated by the user interface) and in English.
        void NeedPath(string field, string? value, string subject, string what)
        {
            if (string.IsNullOrWhiteSpace(value)) AddAbout(field, subject, "ValueRequired", $"{what} is required.");
            else if (!AbsolutePathPattern().IsMatch(value)) AddAbout(field, subject, "PoolPathInvalid", $"{what} must be an absolute path without '..' or control characters.");
        }
        void NeedHost(string field, string? value, string subject, string what)
        {
            if (string.IsNullOrWhiteSpace(value)) AddAbout(field, subject, "ValueRequired", $"{what} is required.");
            else if (!HostPattern().IsMatch(value)) AddAbout(field, subject, "PoolHostInvalid", $"{what} must be a host name or an IP address.");
        }
        void NeedName(string field, string? value, string subject, string what)
        {
            if (string.IsNullOrWhiteSpace(value)) AddAbout(field, subject, "ValueRequired", $"{what} is required.");
            else if (!NamePattern().IsMatch(value)) AddAbout(field, subject, "PoolSourceNameInvalid", $"{what} can use letters, digits, '.', '-' and '_'.");
        }
        void OptionalFormat(string? value, params string[] allowed)
        {
            var list = string.Join(", ", allowed);
            if (!string.IsNullOrEmpty(value) && !allowed.Contains(value)) Add("SourceFormat", "PoolFormatInvalid", $"The format must be one of {list}.", list);
        }

        switch (spec.Type)
        {
            case PoolType.Dir:
                NeedPath("TargetPath", spec.TargetPath, "Directory", "The directory");
                break;
            case PoolType.Fs:
                NeedPath("SourceDevice", spec.SourceDevice, "BlockDevice", "The block device");
                NeedPath("TargetPath", spec.TargetPath, "MountPoint", "The mount point");
                OptionalFormat(spec.SourceFormat, "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs");
                break;
            case PoolType.Netfs:
                NeedHost("SourceHost", spec.SourceHost, "NfsServer", "The NFS server");
                NeedPath("SourcePath", spec.SourcePath, "ExportPath", "The export path");
                NeedPath("TargetPath", spec.TargetPath, "MountPoint", "The mount point");
                OptionalFormat(spec.SourceFormat, "auto", "nfs", "glusterfs", "cifs");
                break;
            case PoolType.Logical:
                NeedName("SourceName", spec.SourceName, "VolumeGroup", "The volume group");
                if (!string.IsNullOrEmpty(spec.SourceDevice)) NeedPath("SourceDevice", spec.SourceDevice, "PhysicalVolume", "The physical volume");
                break;
            case PoolType.Disk:
                NeedPath("SourceDevice", spec.SourceDevice, "Disk", "The disk");
                OptionalFormat(spec.SourceFormat, "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2");
                if (!string.IsNullOrEmpty(spec.TargetPath)) NeedPath("TargetPath", spec.TargetPath, "DeviceDirectory", "The device directory");
                break;
            case PoolType.Iscsi:
                NeedHost("SourceHost", spec.SourceHost, "IscsiPortal", "The iSCSI portal");
                if (string.IsNullOrWhiteSpace(spec.SourcePath)) Add("SourcePath", "PoolIqnRequired", "The target IQN is required.");
                else if (!IqnPattern().IsMatch(spec.SourcePath)) Add("SourcePath", "PoolIqnInvalid", "The target must be an IQN such as iqn.2004-04.com.example:storage.disk1.");
                break;
            case PoolType.Rbd:
                if (spec.Monitors.Count == 0) Add("Monitors", "PoolMonitorRequired", "At least one Ceph monitor is required.");
                foreach (var monitor in spec.Monitors)
                    if (!HostPortPattern().IsMatch(monitor)) Add("Monitors", "PoolMonitorInvalid", $"\"{monitor}\" is not a host name or address with an optional :port.", monitor);
                NeedName("SourceName", spec.SourceName, "CephPool", "The Ceph pool");
                if (!string.IsNullOrEmpty(spec.AuthUser))
                {
                    if (!NamePattern().IsMatch(spec.AuthUser)) Add("AuthUser", "PoolCephUserInvalid", "The Ceph user can use letters, digits, '.', '-' and '_'.");
                    if (spec.AuthSecretUuid is null) Add("AuthSecretUuid", "PoolCephSecretRequired", "A Ceph user needs the UUID of the libvirt secret holding its key.");
                }
                break;
            case PoolType.Gluster:
                NeedHost("SourceHost", spec.SourceHost, "GlusterServer", "The Gluster server");
                NeedName("SourceName", spec.SourceName, "GlusterVolume", "The Gluster volume");
                if (!string.IsNullOrEmpty(spec.SourcePath)) NeedPath("SourcePath", spec.SourcePath, "Directory", "The directory");
                break;
            default:
                Add("Type", "PoolTypeUnknown", "Unknown pool type.");
                break;
        }
        return problems;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^/(?!.*(^|/)\.\.(/|$))[^\x00-\x1f\x7f]*$")]
    private static partial Regex AbsolutePathPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9\-.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")]
    private static partial Regex HostPortPattern();

    [GeneratedRegex(@"^(iqn\.\d{4}-\d{2}\.[A-Za-z0-9.\-]+(:[^\s\x00-\x1f]+)?|eui\.[0-9A-Fa-f]{16})$")]
    private static partial Regex IqnPattern();
}
