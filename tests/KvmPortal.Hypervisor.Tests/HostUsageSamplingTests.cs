using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The host sessions hand their usage samples to the registered sinks.</summary>
public sealed class HostUsageSamplingTests
{
    [Fact]
    public async Task TestDriverSamplesHaveTheRunningDomainAndNoHostCountersAndABrokenSinkStopsNothing()
    {
        var sink = new RecordingUsageSink();
        await using var hypervisor = new HypervisorHarness(usageSinks: [new ThrowingUsageSink(), sink]);
        var host = hypervisor.Attach("test:///default");

        await sink.WaitForAsync(host.Id, s => s.Vms.Any(vm => vm.Name == "test"), "with the test domain");
        var later = await sink.WaitForAsync(host.Id, s => s.Vms.Any(vm => vm.Name == "test"), "after a failing sink");

        Assert.Null(later.Host); // the test driver has no node memory stats
        Assert.All(later.Vms, vm => Assert.NotEqual(Guid.Empty, vm.Uuid));
    }

    [Fact]
    public async Task QemuSystemSamplesShowTheDemoGuestsCpuTimeGrowingAndTheHostsCounters()
    {
        var demo = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") is { Length: > 0 } name ? name : "kvmportal-demo";
        var sink = new RecordingUsageSink();
        await using var hypervisor = new HypervisorHarness(usageSinks: [sink]);
        var host = hypervisor.Attach("qemu:///system");

        var first = await sink.WaitForAsync(host.Id, s => s.Vms.Any(vm => vm.Name == demo), $"with the running {demo}");
        var firstVm = first.Vms.Single(vm => vm.Name == demo);
        var grown = await sink.WaitForAsync(host.Id,
            s => s.Vms.Any(vm => vm.Name == demo && vm.CpuTimeNs > firstVm.CpuTimeNs), "with more CPU time");

        Assert.True(firstVm.Vcpus > 0);
        Assert.True(firstVm.MemoryKib > 0);
        Assert.NotNull(first.Host);
        Assert.True(first.Host.Cpus > 0);
        Assert.True(first.Host.MemoryTotalKib >= first.Host.MemoryAvailableKib);
        Assert.True(first.Host.MemoryAvailableKib > 0);
        Assert.NotNull(grown.Host);
        Assert.True(grown.Host.CpuBusyNs + grown.Host.CpuIdleNs > first.Host.CpuBusyNs + first.Host.CpuIdleNs);
    }
}
