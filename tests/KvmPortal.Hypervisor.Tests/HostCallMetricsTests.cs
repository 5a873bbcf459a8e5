using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The shared libvirt call path times every call, and the sampler's clock is visible, on libvirt's test driver.</summary>
public sealed class HostCallMetricsTests
{
    private sealed record Recorded(double Seconds, Dictionary<string, object?> Tags);

    [Fact]
    public async Task Libvirt_calls_are_timed_by_operation_host_and_outcome()
    {
        var hostName = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var recorded = new ConcurrentQueue<Recorded>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HypervisorMetrics.MeterName && instrument.Name == HypervisorMetrics.LibvirtCallDurationName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value;
            if ((string?)map["host"] == hostName) recorded.Enqueue(new Recorded(value, map));
        });
        listener.Start();

        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default", hostName);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        Assert.NotEmpty(await hypervisor.Storage.ListPoolsAsync(host.Id));
        await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Storage.ListVolumesAsync(host.Id, "no-such-pool"));

        var ok = Assert.Single(recorded, r => (string?)r.Tags["operation"] == "storage.list-pools");
        Assert.Equal("ok", ok.Tags["outcome"]);
        Assert.True(ok.Seconds >= 0);
        var failed = Assert.Single(recorded, r => (string?)r.Tags["operation"] == "storage.list-volumes");
        Assert.Equal("error", failed.Tags["outcome"]);
    }

    [Fact]
    public async Task The_last_sample_time_is_known_once_the_host_is_online()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default", "sampled-" + Guid.NewGuid().ToString("N")[..8]);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        var sample = Assert.Single(hypervisor.Hosts.LastSamples());
        Assert.Equal(host.Id, sample.HostId);
        Assert.Equal(host.Name, sample.HostName);
        Assert.NotNull(sample.SampledAt);
        Assert.True(sample.SampledAt <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Log_lines_of_an_operation_carry_its_operation_host_and_vm()
    {
        var loggers = new ScopeRecordingLoggerFactory();
        await using var hypervisor = new HypervisorHarness(loggers: loggers);
        var host = hypervisor.Attach("test:///default", "scoped-" + Guid.NewGuid().ToString("N")[..8]);
        var snapshot = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == Vms.VmState.Running, "running");
        var vm = snapshot.Vms.Values.Single(v => v.HostId == host.Id && v.Name == "test");

        // Starting a running domain fails in libvirt: the failure is logged inside the operation's scope.
        await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Vms.ExecuteAsync(vm.Key, Vms.VmAction.Start));

        var line = Assert.Single(loggers.Lines, l => l.Scope.TryGetValue("Operation", out var op) && (string?)op == "vm.start");
        Assert.Equal(host.Name, line.Scope["Host"]);
        Assert.Equal("test", line.Scope["Vm"]);
        Assert.Contains("Start test failed", line.Message);
        // Lines written outside any operation (the session's own) carry no operation.
        Assert.Contains(loggers.Lines, l => !l.Scope.ContainsKey("Operation"));
    }
}
