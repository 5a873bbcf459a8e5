using System.ComponentModel.DataAnnotations;

namespace KvmPortal.Web.Hosting;

/// <summary>The "KvmPortal" configuration section.</summary>
public sealed class KvmPortalOptions
{
    public const string Section = "KvmPortal";
    public const string DefaultHostUri = "qemu:///system";

    /// <summary>Libvirt URIs stored as hosts when the host table is empty. Defaults to qemu:///system.</summary>
    public List<string> DefaultHosts { get; set; } = [];

    [Required, StringLength(100, MinimumLength = 1)]
    public string AdminUserName { get; set; } = "admin";

    /// <summary>Password of the first administrator; env KVMPORTAL_ADMIN_PASSWORD wins. Random when unset.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Names this instance in the jobs table: at start, jobs of this instance still marked running were interrupted.
    /// Instances sharing a database must have different names (set it when several run on one machine).
    /// </summary>
    [Required, StringLength(256, MinimumLength = 1)]
    public string InstanceName { get; set; } = Environment.MachineName;
}
