using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Components.Pages.Hosts;
using KvmPortal.Web.Tests.Fakes;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class HostCapacityTests
{
    [Fact]
    public void A_host_without_capabilities_or_samples_has_no_overcommit_ratio()
    {
        var inventory = new FakeInventory();
        var host = inventory.AddHost("lab1");
        inventory.AddVm(host, "web1");

        var capacity = HostCapacity.Of(host, inventory.Current, usage: null, _ => true);

        Assert.Equal(0, capacity.Cpus.Total);
        Assert.Equal(2, capacity.Cpus.Running);
        Assert.Null(capacity.CpuOvercommit);
        Assert.Null(capacity.MemoryOvercommit);
        Assert.Null(capacity.CpuUsedPercent);
        Assert.Null(capacity.MemoryUsedBytes);
    }

    [Fact]
    public void The_sample_gives_the_totals_when_the_capabilities_are_not_read_yet()
    {
        var inventory = new FakeInventory();
        var host = inventory.AddHost("lab1");
        inventory.AddVm(host, "web1");

        var capacity = HostCapacity.Of(host, inventory.Current, new KvmPortal.Web.Usage.HostUsageNow(DateTimeOffset.UtcNow, 4, 10, 4L << 20, 1L << 20), _ => true);

        Assert.Equal((0.5, 0.5), capacity.CpuOvercommit);
        Assert.Equal((0.25, 0.25), capacity.MemoryOvercommit);
        Assert.Equal(1UL << 30, capacity.MemoryUsedBytes);
    }
}
