using System.Diagnostics.Metrics;
using KvmPortal.Hypervisor;
using Prometheus;

namespace KvmPortal.Web.Observability;

/// <summary>
/// This app's Prometheus registry: the dashboard's gauges (<see cref="PortalMetrics"/>) and the hypervisor layer's
/// libvirt call histogram, forwarded measurement by measurement from its System.Diagnostics.Metrics instrument.
/// (prometheus-net's own meter adapter publishes asynchronously and names series after the meter; a listener this
/// small keeps names stable and a scrape right after a call complete.) A registry per app rather than prometheus-net's
/// global one, so two apps in one process (the tests) keep apart.
/// </summary>
public sealed class PrometheusExport : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Histogram _libvirtCalls;

    public PrometheusExport()
    {
        Registry = Metrics.NewCustomRegistry();
        // prometheus-net's process figures (process_working_set_bytes, dotnet_total_memory_bytes, CPU, threads, GC counts).
        DotNetStats.Register(Registry);
        _libvirtCalls = Metrics.WithCustomRegistry(Registry).CreateHistogram("kvmportal_libvirt_call_duration_seconds",
            "Duration of libvirt calls made by dashboard operations.", ["operation", "host", "outcome"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HypervisorMetrics.MeterName && instrument.Name == HypervisorMetrics.LibvirtCallDurationName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>(OnLibvirtCall);
        _listener.Start();
    }

    public CollectorRegistry Registry { get; }

    private void OnLibvirtCall(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string operation = "", host = "", outcome = "";
        foreach (var (key, value) in tags)
        {
            if (key == "operation") operation = value as string ?? "";
            else if (key == "host") host = value as string ?? "";
            else if (key == "outcome") outcome = value as string ?? "";
        }
        _libvirtCalls.WithLabels(operation, host, outcome).Observe(seconds);
    }

    public void Dispose() => _listener.Dispose();
}
