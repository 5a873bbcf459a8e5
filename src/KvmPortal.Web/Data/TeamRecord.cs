namespace KvmPortal.Web.Data;

/// <summary>A team owns VMs; roles can be granted for one team.</summary>
public sealed class TeamRecord
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Quotas (issue 8), counted on allocation; null is "no limit".
    public int? MaxVcpus { get; set; }
    public long? MaxMemoryMib { get; set; }
    public long? MaxDiskGib { get; set; }
    public int? MaxVms { get; set; }
    /// <summary>Count vCPUs and memory of running VMs only (checked when starting), instead of every VM defined.</summary>
    public bool QuotaCountsRunningOnly { get; set; }
}
