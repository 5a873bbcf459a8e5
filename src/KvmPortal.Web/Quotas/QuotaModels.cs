namespace KvmPortal.Web.Quotas;

/// <summary>The four per-team limits, in the order a refusal checks them.</summary>
public enum QuotaKind { Vms, Vcpus, Memory, Disk }

/// <summary>
/// A team's limits as stored on <see cref="Data.TeamRecord"/>; null is "no limit". With
/// <see cref="CountsRunningOnly"/>, vCPUs and memory count for running VMs only (and are checked when one starts).
/// </summary>
public sealed record TeamQuota(
    Guid TeamId,
    string TeamName,
    int? MaxVcpus = null,
    long? MaxMemoryMib = null,
    long? MaxDiskGib = null,
    int? MaxVms = null,
    bool CountsRunningOnly = false)
{
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;

    /// <summary>The limit of one kind in its counting unit (VMs, vCPUs, bytes), or null when there is none.</summary>
    public ulong? LimitOf(QuotaKind kind) => kind switch
    {
        QuotaKind.Vms => (ulong?)MaxVms,
        QuotaKind.Vcpus => (ulong?)MaxVcpus,
        QuotaKind.Memory => (ulong?)MaxMemoryMib * MiB,
        QuotaKind.Disk => (ulong?)MaxDiskGib * GiB,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public bool HasLimits => MaxVcpus is not null || MaxMemoryMib is not null || MaxDiskGib is not null || MaxVms is not null;
}

/// <summary>Amounts of the four kinds: what a team uses, or what a request adds. Memory and disk in bytes.</summary>
public sealed record QuotaAmounts(ulong Vms = 0, ulong Vcpus = 0, ulong MemoryBytes = 0, ulong DiskBytes = 0)
{
    public static QuotaAmounts None { get; } = new();

    public ulong Of(QuotaKind kind) => kind switch
    {
        QuotaKind.Vms => Vms,
        QuotaKind.Vcpus => Vcpus,
        QuotaKind.Memory => MemoryBytes,
        QuotaKind.Disk => DiskBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public bool IsNone => Vms == 0 && Vcpus == 0 && MemoryBytes == 0 && DiskBytes == 0;
}

/// <summary>A quota the request would exceed: its limit, what the team uses now, and what was asked for, in counting units.</summary>
public sealed record QuotaExcess(QuotaKind Kind, ulong Limit, ulong InUse, ulong Requested);

/// <summary>A team's use with its quota, for the team page.</summary>
public sealed record TeamQuotaUse(TeamQuota Quota, QuotaAmounts Use);
