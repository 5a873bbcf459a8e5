namespace KvmPortal.Web.Usage;

/// <summary>The report's flags, judged over the whole period.</summary>
public static class UsageFlags
{
    /// <summary>Idle: both the average and the peak CPU stayed below <see cref="UsageOptions.IdleCpuPercent"/>.</summary>
    public static bool IsIdle(double cpuAveragePercent, double cpuPeakPercent, UsageOptions options) =>
        cpuAveragePercent < options.IdleCpuPercent && cpuPeakPercent < options.IdleCpuPercent;

    /// <summary>
    /// Oversized: the peak CPU (a % of the VM's vCPUs) and the peak used memory both stayed below
    /// <see cref="UsageOptions.OversizedPeakFraction"/> of the allocation. A guest that never reported its used memory
    /// (no balloon driver) is judged by CPU alone: a VM is not left unflagged for lack of a figure it cannot give.
    /// The memory allocation is the highest of the period.
    /// </summary>
    public static bool IsOversized(double cpuPeakPercent, long? memoryPeakUsedKib, long memoryAllocatedKib, UsageOptions options) =>
        cpuPeakPercent < options.OversizedPeakFraction * 100
        && (memoryPeakUsedKib is not { } used || used < options.OversizedPeakFraction * memoryAllocatedKib);
}
