using System.Diagnostics.Metrics;
using KvmPortal.Hypervisor;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// The app's own measure of its libvirt pause calls (the libvirt.call.duration histogram, from the queue to the
/// thread pool to libvirt's answer), to tell that part of an operation from the rest (access check, audit entry).
/// </summary>
internal sealed class PauseCallTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _milliseconds = [];

    public PauseCallTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HypervisorMetrics.MeterName && instrument.Name == HypervisorMetrics.LibvirtCallDurationName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "operation", Value: "vm.pause" })
                    lock (_milliseconds) _milliseconds.Add(seconds * 1000);
            }
        });
        _listener.Start();
    }

    public List<double> Milliseconds
    {
        get { lock (_milliseconds) return [.. _milliseconds]; }
    }

    public void Dispose() => _listener.Dispose();
}
