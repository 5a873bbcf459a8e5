namespace KvmPortal.Web.Usage;

/// <summary>The "KvmPortal:Usage" configuration section: usage history (issue 8).</summary>
public sealed class UsageOptions
{
    public const string Section = "KvmPortal:Usage";

    /// <summary>How often each host's usage is written (the live sampler may run more often; samples in between are skipped).</summary>
    public TimeSpan RecordInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(2);
    public TimeSpan FiveMinuteRetention { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often the rollup job aggregates finished buckets and applies retention.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A VM whose CPU stayed below this for a whole report period is flagged idle.</summary>
    public double IdleCpuPercent { get; set; } = 2;

    /// <summary>A VM whose peak CPU and peak used memory both stayed below this fraction of its allocation is flagged oversized.</summary>
    public double OversizedPeakFraction { get; set; } = 0.25;
}
