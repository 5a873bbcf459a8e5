using System.Diagnostics.Metrics;

namespace KvmPortal.Hypervisor;

/// <summary>
/// The hypervisor layer's instruments. Only System.Diagnostics.Metrics here: exporting them (Prometheus) is the
/// web host's business.
/// </summary>
public static class HypervisorMetrics
{
    public const string MeterName = "KvmPortal.Hypervisor";
    public const string LibvirtCallDurationName = "libvirt.call.duration";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>How long one libvirt call on the shared call path took, by operation, host and outcome.</summary>
    internal static readonly Histogram<double> LibvirtCallDuration = Meter.CreateHistogram<double>(
        LibvirtCallDurationName, unit: "s", description: "Duration of libvirt calls made by dashboard operations.");
}
