using KvmPortal.Hypervisor.Usage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Usage.Recording;

namespace KvmPortal.Web.Tests.Usage;

public sealed class UsageDeltasTests
{
    private static readonly Guid HostId = Guid.NewGuid();
    private static readonly Guid VmId = Guid.NewGuid();
    private static readonly Guid Team = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFirstSampleCoversNoTimeAndCountsNothingButKeepsTheGauges()
    {
        var deltas = new UsageDeltas();

        var interval = Recorded(deltas, Sample(T0, Vm(cpu: 5_000, disk: 100), Host(busy: 50, idle: 500)), _ => Team);

        var vm = Assert.Single(interval.Vms);
        Assert.Equal("web", vm.Name);
        Assert.Equal(0, vm.Sample.IntervalSeconds);
        Assert.Equal(0, vm.Sample.CpuTimeNs);
        Assert.Equal(0, vm.Sample.DiskReadBytes);
        Assert.Equal(2, vm.Sample.Vcpus);
        Assert.Equal(4096, vm.Sample.MemoryKib);
        Assert.Equal(1024, vm.Sample.MemoryUsedKib);
        Assert.Equal(10_000, vm.Sample.DiskCapacityBytes);
        Assert.Equal(Team, vm.Sample.TeamId);
        Assert.Equal(HostId, vm.Sample.HostId);
        Assert.Equal(T0, vm.Sample.SampledAt);
        Assert.NotNull(interval.Host);
        Assert.Equal(0, interval.Host.IntervalSeconds);
        Assert.Equal(0, interval.Host.CpuTotalNs);
        Assert.Equal(600, interval.Host.MemoryUsedKib); // total 1000 - available 400
    }

    [Fact]
    public void LaterSamplesCountWhatWasUsedSinceThePreviousOne()
    {
        var deltas = new UsageDeltas();
        Recorded(deltas, Sample(T0, Vm(cpu: 5_000, disk: 100, rx: 7), Host(busy: 50, idle: 500)), _ => null);

        var interval = Recorded(deltas, Sample(T0.AddSeconds(10), Vm(cpu: 8_000, disk: 160, rx: 10), Host(busy: 80, idle: 600)), _ => null);

        var vm = Assert.Single(interval.Vms).Sample;
        Assert.Equal(10, vm.IntervalSeconds);
        Assert.Equal(3_000, vm.CpuTimeNs);
        Assert.Equal(60, vm.DiskReadBytes);
        Assert.Equal(3, vm.NetRxBytes);
        Assert.Null(vm.TeamId);
        Assert.Equal(30, interval.Host!.CpuBusyNs);
        Assert.Equal(130, interval.Host.CpuTotalNs);
        Assert.Equal(10, interval.Host.IntervalSeconds);
    }

    [Fact]
    public void ACounterThatWentDownMeansARestartSoTheNewValueIsTheDelta()
    {
        var deltas = new UsageDeltas();
        Recorded(deltas, Sample(T0, Vm(cpu: 9_000, disk: 500), Host(busy: 900, idle: 900)), _ => null);

        var interval = Recorded(deltas, Sample(T0.AddSeconds(10), Vm(cpu: 1_200, disk: 40), Host(busy: 100, idle: 50)), _ => null);

        var vm = Assert.Single(interval.Vms).Sample;
        Assert.Equal(1_200, vm.CpuTimeNs);
        Assert.Equal(40, vm.DiskReadBytes);
        Assert.Equal(100, interval.Host!.CpuBusyNs);
        Assert.Equal(150, interval.Host.CpuTotalNs);
    }

    [Fact]
    public void AVmMissingFromASampleStartsAfreshWhenItComesBack()
    {
        var deltas = new UsageDeltas();
        Recorded(deltas, Sample(T0, Vm(cpu: 1_000)), _ => null);
        Recorded(deltas, Sample(T0.AddSeconds(10)), _ => null); // shut off

        var back = Recorded(deltas, Sample(T0.AddSeconds(20), Vm(cpu: 5_000)), _ => null);

        Assert.Equal(0, Assert.Single(back.Vms).Sample.IntervalSeconds);
        Assert.Equal(0, back.Vms[0].Sample.CpuTimeNs);
    }

    [Fact]
    public void AForgottenHostStartsAfreshAndOtherHostsAreUnaffected()
    {
        var deltas = new UsageDeltas();
        var otherHost = Guid.NewGuid();
        Recorded(deltas, Sample(T0, Vm(cpu: 1_000)), _ => null);
        Recorded(deltas, Sample(T0, Vm(cpu: 1_000)) with { HostId = otherHost }, _ => null);

        deltas.Forget(HostId);
        var forgotten = Recorded(deltas, Sample(T0.AddSeconds(10), Vm(cpu: 2_000)), _ => null);
        var other = Recorded(deltas, Sample(T0.AddSeconds(10), Vm(cpu: 2_000)) with { HostId = otherHost }, _ => null);

        Assert.Equal(0, forgotten.Vms[0].Sample.CpuTimeNs);
        Assert.Equal(1_000, other.Vms[0].Sample.CpuTimeNs);
        Assert.Equal(otherHost, other.Vms[0].Sample.HostId);
    }

    [Fact]
    public void ASampleWithoutHostCountersHasNoHostRowAndTheTeamIsLookedUpPerVm()
    {
        var deltas = new UsageDeltas();
        var second = Vm(cpu: 1) with { Uuid = Guid.NewGuid(), Name = "db" };
        VmKey? asked = null;

        var interval = Recorded(deltas, Sample(T0, Vm(cpu: 1), second), vm =>
        {
            asked = vm;
            return vm.Uuid == VmId ? Team : null;
        });

        Assert.Null(interval.Host);
        Assert.Equal(Team, interval.Vms.Single(v => v.Name == "web").Sample.TeamId);
        Assert.Null(interval.Vms.Single(v => v.Name == "db").Sample.TeamId);
        Assert.Equal(HostId, asked!.Value.HostId);
    }

    [Fact]
    public void AnIntervalThatWasMeasuredButNotWrittenIsCountedInTheNextOne()
    {
        var deltas = new UsageDeltas();
        Recorded(deltas, Sample(T0, Vm(cpu: 1_000, disk: 10), Host(busy: 100, idle: 100)), _ => null);

        deltas.Measure(Sample(T0.AddSeconds(10), Vm(cpu: 3_000, disk: 30), Host(busy: 200, idle: 200)), _ => null); // the write failed
        var next = Recorded(deltas, Sample(T0.AddSeconds(20), Vm(cpu: 6_000, disk: 60), Host(busy: 300, idle: 300)), _ => null);

        Assert.Equal(20, next.Vms[0].Sample.IntervalSeconds);
        Assert.Equal(5_000, next.Vms[0].Sample.CpuTimeNs);
        Assert.Equal(50, next.Vms[0].Sample.DiskReadBytes);
        Assert.Equal(400, next.Host!.CpuTotalNs);
        Assert.Equal(T0.AddSeconds(20), deltas.BaselineOf(HostId));
        Assert.Null(deltas.BaselineOf(Guid.NewGuid()));
    }

    /// <summary>What the recorder does when an interval lands: measure it, then make the sample the baseline.</summary>
    private static UsageInterval Recorded(UsageDeltas deltas, HostUsageSample sample, Func<VmKey, Guid?> teamOf)
    {
        var interval = deltas.Measure(sample, teamOf);
        deltas.Remember(sample);
        return interval;
    }

    private static HostUsageSample Sample(DateTimeOffset at, params VmUsageCounters[] vms) => new(HostId, at, null, vms);

    private static HostUsageSample Sample(DateTimeOffset at, VmUsageCounters vm, HostResourceCounters host) => new(HostId, at, host, [vm]);

    private static VmUsageCounters Vm(ulong cpu, ulong disk = 0, ulong rx = 0) =>
        new(VmId, "web", cpu, 2, 4096, 1024, disk, 0, 0, 0, 10_000, 1_000, rx, 0);

    private static HostResourceCounters Host(ulong busy, ulong idle) => new(4, busy, idle, 1000, 400);
}
