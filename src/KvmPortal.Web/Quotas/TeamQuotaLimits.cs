namespace KvmPortal.Web.Quotas;

/// <summary>The limits an administrator sets for a team; null clears one ("no limit").</summary>
public sealed record TeamQuotaLimits(
    int? MaxVcpus = null,
    long? MaxMemoryMib = null,
    long? MaxDiskGib = null,
    int? MaxVms = null,
    bool CountsRunningOnly = false)
{
    public static TeamQuotaLimits Of(TeamQuota quota) =>
        new(quota.MaxVcpus, quota.MaxMemoryMib, quota.MaxDiskGib, quota.MaxVms, quota.CountsRunningOnly);

    /// <summary>Every limit is either cleared or at least 1.</summary>
    public bool IsValid => MaxVcpus is null or > 0 && MaxMemoryMib is null or > 0 && MaxDiskGib is null or > 0 && MaxVms is null or > 0;
}
