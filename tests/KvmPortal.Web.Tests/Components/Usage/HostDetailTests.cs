using Bunit;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Hosts;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.DependencyInjection;
using static KvmPortal.Web.Tests.Fakes.InMemoryUsageHistory;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class HostDetailTests : BunitHarness
{
    private static readonly HostCapabilities Caps = new(
        "lab1", "QEMU", "Broadwell", "x86_64", 8, 1, 4, 2, 2400, 16UL << 30, true, "9.0.0", "7.2.0");
    private static readonly Guid Team = Guid.NewGuid();

    private readonly InMemoryUsageHistory history = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IUsageReports>(history);
        services.AddOptions<UsageOptions>();
    }

    private HostInfo AddHost() => Inventory.AddHost("lab1") with { Capabilities = Caps };

    private VmInfo AddVm(HostInfo host, string name, int vcpus, int memoryGib, double? cpu, VmState state = VmState.Running)
    {
        var vm = Inventory.AddVm(host, name, state) with { VCpus = vcpus, MemoryBytes = (ulong)memoryGib << 30, CpuPercent = cpu };
        Inventory.Push(new VmChanged(vm));
        return vm;
    }

    private IRenderedComponent<HostDetail> Render(HostInfo host) => Context.Render<HostDetail>(p => p.Add(x => x.Id, host.Id));

    private static string Text(IRenderedComponent<HostDetail> page, string testId) =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void Capacity_allocation_overcommit_and_use_come_from_the_inventory_and_the_latest_sample()
    {
        using var _ = new CultureScope("en");
        var host = AddHost();
        Inventory.Push(new HostChanged(host));
        AddVm(host, "web1", 2, 1, 12.5);
        AddVm(host, "db1", 4, 4, 50);
        AddVm(host, "old1", 6, 8, null, VmState.ShutOff);
        var elsewhere = Inventory.AddHost("lab2");
        AddVm(elsewhere, "far1", 16, 32, 90);
        history.HostLatest[host.Id] = new HostUsageNow(DateTimeOffset.UtcNow, 8, 42, 16L << 20, 6L << 20);

        var page = Render(host);

        page.WaitForAssertion(() => Assert.Equal("Used: 42.0%", Text(page, "host-cpu-used")));
        Assert.Equal("Host CPUs: 8", Text(page, "host-cpus"));
        Assert.Equal("vCPUs of running VMs: 6", Text(page, "host-vcpus-running"));
        Assert.Equal("vCPUs of all VMs: 12", Text(page, "host-vcpus-defined"));
        Assert.Equal("Total: 16.0 GiB", Text(page, "host-memory-total"));
        Assert.Equal("Allocated to running VMs: 5.0 GiB", Text(page, "host-memory-running"));
        Assert.Equal("Allocated to all VMs: 13.0 GiB", Text(page, "host-memory-defined"));
        Assert.Equal("Used: 6.0 GiB", Text(page, "host-memory-used"));
        Assert.Equal("vCPUs per CPU: 0.75 running, 1.50 all", Text(page, "host-overcommit-cpu"));
        Assert.Equal("Memory allocated per memory: 0.31 running, 0.81 all", Text(page, "host-overcommit-memory"));
        Assert.Equal(["db1", "web1"], page.FindAll("[data-testid=host-top-cpu] tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Equal(["db1", "web1"], page.FindAll("[data-testid=host-top-memory] tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Contains("Broadwell", Text(page, "host-capabilities"));
    }

    [Fact]
    public void A_vm_that_starts_is_counted_as_running_without_a_reload()
    {
        using var _ = new CultureScope("en");
        var host = AddHost();
        Inventory.Push(new HostChanged(host));
        var old = AddVm(host, "old1", 6, 8, null, VmState.ShutOff);
        var page = Render(host);
        page.WaitForAssertion(() => Assert.Equal("vCPUs of running VMs: 0", Text(page, "host-vcpus-running")));

        Inventory.Push(new VmChanged(old with { State = VmState.Running, CpuPercent = 3 }));

        page.WaitForAssertion(() => Assert.Equal("vCPUs of running VMs: 6", Text(page, "host-vcpus-running")));
        Assert.Equal("vCPUs per CPU: 0.75 running, 0.75 all", Text(page, "host-overcommit-cpu"));
        Assert.Equal("old1", page.Find("[data-testid=host-top-cpu] tr[data-vm]").GetAttribute("data-vm"));
    }

    [Fact]
    public void Storage_sums_the_running_pools()
    {
        using var _ = new CultureScope("en");
        var host = AddHost();
        Inventory.Push(new HostChanged(host));
        Storage.AddPool(host.Id, "images");
        Storage.AddPool(host.Id, "isos");
        Storage.AddPool(host.Id, "old", PoolState.Inactive);

        var page = Render(host);

        page.WaitForAssertion(() => Assert.Equal("Total: 200.0 GiB", Text(page, "host-storage-capacity")));
        Assert.Equal("Allocated: 20.0 GiB", Text(page, "host-storage-allocation"));
        Assert.Equal("Available: 180.0 GiB", Text(page, "host-storage-available"));
        Assert.Equal(3, page.FindAll("[data-testid=host-capacity-storage] [data-pool]").Count);
        Assert.Empty(page.FindAll("[data-testid=host-storage-error]"));
    }

    [Fact]
    public void A_team_viewer_sees_capacity_but_not_host_usage_storage_or_other_teams_vms()
    {
        using var _ = new CultureScope("en");
        var host = AddHost();
        Inventory.Push(new HostChanged(host));
        var mine = AddVm(host, "mine", 2, 1, 10);
        AddVm(host, "theirs", 4, 2, 80);
        Storage.AddPool(host.Id, "images");
        history.HostLatest[host.Id] = new HostUsageNow(DateTimeOffset.UtcNow, 8, 42, 16L << 20, 6L << 20);
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, Team)], new Dictionary<VmKey, Guid> { [mine.Key] = Team });

        var page = Render(host);

        page.WaitForAssertion(() => Assert.Equal("vCPUs of running VMs: 6", Text(page, "host-vcpus-running")));
        Assert.Equal(["mine"], page.FindAll("[data-testid=host-top-cpu] tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Empty(page.FindAll("[data-testid=host-cpu-used]"));
        Assert.Empty(page.FindAll("[data-testid=host-capacity-storage]"));
        Assert.Empty(page.FindAll("[data-testid=usage-period]"));
        Assert.Empty(history.SeriesRequests);
    }

    [Fact]
    public void Without_a_recent_sample_the_use_is_unknown_and_the_chart_draws_the_history()
    {
        using var _ = new CultureScope("en");
        var host = AddHost();
        Inventory.Push(new HostChanged(host));
        var now = DateTimeOffset.UtcNow;
        history.HostPoints[host.Id] = [Point(now.AddMinutes(-1), 20), Point(now, 25)];

        var page = Render(host);

        page.WaitForAssertion(() => Assert.Equal("4", page.Find("[data-testid=usage-chart-cpu]").GetAttribute("data-points")));
        Assert.Equal("Used: unknown", Text(page, "host-cpu-used"));
        Assert.Equal((host.Id, UsagePeriod.Hour), Assert.Single(history.SeriesRequests));
        Assert.Empty(page.FindAll("[data-testid=usage-chart-disk]"));
        var memory = page.FindComponent<KvmPortal.Web.Components.Pages.Usage.UsageChartGrid>().Instance.Charts.Single(c => c.Id == "usage-chart-memory");
        Assert.Equal(["Total", "Used"], memory.Series.Select(s => s.Name));
    }

    [Fact]
    public void An_unknown_host_says_so()
    {
        using var _ = new CultureScope("en");

        var page = Context.Render<HostDetail>(p => p.Add(x => x.Id, Guid.NewGuid()));

        Assert.Equal("This host no longer exists.", Text(page, "host-not-found"));
    }
}

public sealed class HostDetailStorageFailureTests : BunitHarness
{
    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IUsageReports>(new InMemoryUsageHistory());
        services.AddOptions<UsageOptions>();
        services.AddSingleton<IStorageQueries>(new FailingStorageQueries());
    }

    [Fact]
    public void Pools_that_cannot_be_read_are_reported_on_the_storage_card()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("lab1");

        var page = Context.Render<HostDetail>(p => p.Add(x => x.Id, host.Id));

        page.WaitForAssertion(() => Assert.Equal("Could not list pools. Libvirt said: connection reset",
            page.Find("[data-testid=host-storage-error]").TextContent.Trim()));
        Assert.Equal("Host CPUs: 0", page.Find("[data-testid=host-cpus]").TextContent.Trim());
    }

    private sealed class FailingStorageQueries : IStorageQueries
    {
        public Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default) =>
            throw new KvmPortal.Hypervisor.HypervisorException("Could not list pools.", "connection reset");

        public Task<IReadOnlyList<StorageVolumeSummary>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
