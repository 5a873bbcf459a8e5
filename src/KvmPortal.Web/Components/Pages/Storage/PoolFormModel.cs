using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Web.Components.Pages.Storage;

/// <summary>The create-pool form: one set of text fields, of which each pool type shows the ones it uses.</summary>
public sealed class PoolFormModel
{
    public PoolType Type { get; set; } = PoolType.Dir;
    public string Name { get; set; } = "";
    public string TargetPath { get; set; } = "";
    public string SourceDevice { get; set; } = "";
    public string SourceHost { get; set; } = "";
    public string SourcePath { get; set; } = "";
    public string SourceName { get; set; } = "";
    public string SourceFormat { get; set; } = "";

    /// <summary>Ceph monitors, separated by commas, spaces or new lines.</summary>
    public string Monitors { get; set; } = "";
    public string AuthUser { get; set; } = "";
    public string AuthSecretUuid { get; set; } = "";
    public bool Build { get; set; } = true;
    public bool Start { get; set; } = true;
    public bool Autostart { get; set; } = true;

    /// <summary>The fields the type uses, in the order the form shows them.</summary>
    public static IReadOnlyList<string> FieldsOf(PoolType type) => type switch
    {
        PoolType.Dir => ["TargetPath"],
        PoolType.Fs => ["SourceDevice", "SourceFormat", "TargetPath"],
        PoolType.Netfs => ["SourceHost", "SourcePath", "SourceFormat", "TargetPath"],
        PoolType.Logical => ["SourceName", "SourceDevice"],
        PoolType.Disk => ["SourceDevice", "SourceFormat", "TargetPath"],
        PoolType.Iscsi => ["SourceHost", "SourcePath", "TargetPath"],
        PoolType.Rbd => ["Monitors", "SourceName", "AuthUser", "AuthSecretUuid"],
        PoolType.Gluster => ["SourceHost", "SourceName", "SourcePath"],
        _ => [],
    };

    /// <summary>The spec the form describes; empty fields are left out. An unreadable UUID is reported by the validator.</summary>
    public PoolSpec ToSpec() => new()
    {
        Name = Name.Trim(),
        Type = Type,
        TargetPath = Blank(TargetPath),
        SourceDevice = Blank(SourceDevice),
        SourceHost = Blank(SourceHost),
        SourcePath = Blank(SourcePath),
        SourceName = Blank(SourceName),
        SourceFormat = Blank(SourceFormat),
        Monitors = Monitors.Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries),
        AuthUser = Blank(AuthUser),
        AuthSecretUuid = Guid.TryParse(AuthSecretUuid, out var uuid) ? uuid : null,
    };

    /// <summary>The build step is offered only where it does something.</summary>
    public bool CanBuild => PoolTypes.NeedsBuild(ToSpec());

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
