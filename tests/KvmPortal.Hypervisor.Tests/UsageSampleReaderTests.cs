using KvmPortal.Hypervisor.Usage;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

public sealed class UsageSampleReaderTests
{
    private static readonly Guid HostId = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SumsDisksAndInterfacesAndReadsTheGuestsUsedMemory()
    {
        var uuid = Guid.NewGuid();
        var record = new DomainStatsRecord(uuid, "web", new Dictionary<string, object>
        {
            ["state.state"] = 1, ["cpu.time"] = 5_000_000_000UL, ["vcpu.current"] = 2U,
            ["balloon.current"] = 1_048_576UL, ["balloon.available"] = 1_000_000UL, ["balloon.unused"] = 400_000UL,
            ["block.count"] = 2U,
            ["block.0.rd.bytes"] = 100UL, ["block.0.wr.bytes"] = 200UL, ["block.0.rd.reqs"] = 3UL, ["block.0.wr.reqs"] = 4UL,
            ["block.0.capacity"] = 10_000UL, ["block.0.allocation"] = 1_000UL,
            ["block.1.rd.bytes"] = 1_000UL, ["block.1.wr.bytes"] = 2_000UL, ["block.1.rd.reqs"] = 30UL, ["block.1.wr.reqs"] = 40UL,
            ["block.1.capacity"] = 20_000UL, ["block.1.allocation"] = 2_000UL,
            ["net.count"] = 2U, ["net.0.rx.bytes"] = 7UL, ["net.0.tx.bytes"] = 8UL, ["net.1.rx.bytes"] = 70UL, ["net.1.tx.bytes"] = 80UL,
        });

        var sample = UsageSampleReader.Read(HostId, At, [record], null);

        Assert.Equal(HostId, sample.HostId);
        Assert.Equal(At, sample.SampledAt);
        Assert.Null(sample.Host);
        var vm = Assert.Single(sample.Vms);
        Assert.Equal(new VmUsageCounters(uuid, "web", 5_000_000_000, 2, 1_048_576, 600_000,
            1_100, 2_200, 33, 44, 30_000, 3_000, 77, 88), vm);
    }

    [Fact]
    public void SkipsShutOffDomainsAndLeavesUnreportedUsedMemoryNull()
    {
        var off = new DomainStatsRecord(Guid.NewGuid(), "off", new Dictionary<string, object> { ["state.state"] = 5 });
        var paused = new DomainStatsRecord(Guid.NewGuid(), "paused", new Dictionary<string, object>
        {
            ["state.state"] = 3, ["cpu.time"] = 10UL, ["vcpu.current"] = 1U, ["balloon.current"] = 2048UL,
        });
        var noState = new DomainStatsRecord(Guid.NewGuid(), "unknown", new Dictionary<string, object> { ["cpu.time"] = 1UL });

        var sample = UsageSampleReader.Read(HostId, At, [off, paused, noState], null);

        var vm = Assert.Single(sample.Vms);
        Assert.Equal("paused", vm.Name);
        Assert.Null(vm.MemoryUsedKib);
        Assert.Equal(0UL, vm.DiskReadBytes);
        Assert.Equal(0UL, vm.NetRxBytes);
    }

    [Fact]
    public void HostBusyIsKernelPlusUserAndAvailableMemoryIncludesCaches()
    {
        var host = UsageSampleReader.ReadHost(4,
            new Dictionary<string, ulong> { ["kernel"] = 10, ["user"] = 20, ["idle"] = 300, ["iowait"] = 5 },
            new Dictionary<string, ulong> { ["total"] = 1000, ["free"] = 100, ["buffers"] = 20, ["cached"] = 300 });

        Assert.Equal(new HostResourceCounters(4, 30, 305, 1000, 420), host);
    }
}
