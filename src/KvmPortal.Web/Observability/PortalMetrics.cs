using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Consoles;
using Prometheus;

namespace KvmPortal.Web.Observability;

/// <summary>
/// Gauges set when /metrics is scraped, from what the app already holds (the inventory snapshot, the open consoles,
/// the sampler's clock): a scrape never calls libvirt.
/// </summary>
public sealed class PortalMetrics
{
    private readonly Gauge _hosts;
    private readonly Gauge _vms;
    private readonly Gauge _consoles;
    private readonly Gauge _samplerLag;

    public PortalMetrics(PrometheusExport export, IInventory inventory, ConsoleSessions consoles, IHostSampling sampling, TimeProvider clock)
    {
        var factory = Metrics.WithCustomRegistry(export.Registry);
        _hosts = factory.CreateGauge("kvmportal_hosts", "Attached libvirt hosts by status.", "status");
        _vms = factory.CreateGauge("kvmportal_vms", "VMs by state, as the inventory last saw them.", "state");
        _consoles = factory.CreateGauge("kvmportal_console_sessions", "Console sessions open on this instance.");
        _samplerLag = factory.CreateGauge("kvmportal_sampler_lag_seconds", "Time since each host's last bulk stats sample.", "host");
        export.Registry.AddBeforeCollectCallback(() => Observe(inventory.Current, consoles.Open.Count, sampling.LastSamples(), clock.GetUtcNow()));
    }

    private void Observe(InventorySnapshot snapshot, int openConsoles, IReadOnlyList<HostSample> samples, DateTimeOffset now)
    {
        foreach (var status in Enum.GetValues<HostStatus>())
            _hosts.WithLabels(Label(status)).Set(snapshot.Hosts.Values.Count(h => h.Status == status));
        foreach (var state in Enum.GetValues<VmState>())
            _vms.WithLabels(Label(state)).Set(snapshot.Vms.Values.Count(vm => vm.State == state));
        _consoles.Set(openConsoles);

        var sampled = samples.Where(s => s.SampledAt is not null).ToDictionary(s => s.HostName, s => (now - s.SampledAt!.Value).TotalSeconds);
        foreach (var gone in _samplerLag.GetAllLabelValues().Where(labels => !sampled.ContainsKey(labels[0])).ToList())
            _samplerLag.RemoveLabelled(gone);
        foreach (var (host, lag) in sampled)
            _samplerLag.WithLabels(host).Set(lag);
    }

    private static string Label<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();
}
