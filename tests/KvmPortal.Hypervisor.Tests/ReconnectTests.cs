using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The real libvirtd reached through a relay that the test can cut, refuse or freeze.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task AfterTheConnectionIsCutTheHostGoesOfflineReconnectsAndResynchronises()
    {
        using var relay = new LibvirtRelay();
        using var system = TestDomains.OpenSystem();
        var name = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(relay.Uri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

            relay.Refusing = true;
            relay.DropAll();
            var offline = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline);
            Assert.False(string.IsNullOrWhiteSpace(offline.Hosts[host.Id].StatusMessage));
            Assert.All(offline.Vms.Values.Where(vm => vm.HostId == host.Id), vm => Assert.Equal(VmState.Unknown, vm.State));

            // Defined while no connection exists: only a resynchronisation on reconnect can show it.
            using (system.DefineDomain(TestDomains.TinyDomainXml(name))) { }
            relay.Refusing = false;

            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.State == VmState.ShutOff, "shut off after resync");
        }
        finally
        {
            TestDomains.Remove(system, name);
        }
    }

    [Fact]
    public async Task WhenTheDaemonRestartsTheHostGoesOfflineWithTheReasonAndComesBackWithTheDaemonsState()
    {
        using var daemon = new PrivateLibvirtd();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(daemon.TestDriverUri);
        var online = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running");
        await hypervisor.Vms.ExecuteAsync(online.Vm(host, "test").Key, VmAction.Pause);
        await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Paused, "paused");

        daemon.Stop();
        var offline = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline);
        Assert.Equal(HostOfflineReason.ClosedByHost, offline.Hosts[host.Id].OfflineReason);
        Assert.Equal(VmState.Unknown, offline.Vm(host, "test").State);
        var refused = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Vms.ExecuteAsync(online.Vm(host, "test").Key, VmAction.Resume));
        Assert.Equal(HypervisorErrorKind.HostOffline, refused.Kind);

        // The test driver starts afresh: the paused guest is running again, and the inventory must say so.
        daemon.Start();
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running after the restart");
    }

    [Fact]
    public async Task AFrozenHostIsDroppedByKeepalive()
    {
        using var relay = new LibvirtRelay();
        await using var hypervisor = new HypervisorHarness(new HypervisorOptions
        {
            StatsInterval = TimeSpan.FromHours(1),
            KeepAliveIntervalSeconds = 1,
            KeepAliveCount = 2,
            ReconnectMinDelay = TimeSpan.FromMinutes(1),
        });
        var host = hypervisor.Attach(relay.Uri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        relay.Freeze();

        var offline = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline);
        Assert.Contains("keepalive", offline.Hosts[host.Id].StatusMessage);
        Assert.Equal(HostOfflineReason.KeepaliveTimeout, offline.Hosts[host.Id].OfflineReason);
    }

    [Fact]
    public async Task EventsAndStatsFollowARealGuest()
    {
        using var system = TestDomains.OpenSystem();
        var name = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(TestDomains.SystemUri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

            using (var domain = system.DefineDomain(TestDomains.TinyDomainXml(name))) domain.Create();

            var started = await hypervisor.Live.WaitForVmAsync(host, name,
                vm => vm.State == VmState.Running && vm.CpuPercent is not null, "running with a CPU figure");
            var vm = started.Vm(host, name);
            Assert.Equal(64UL << 20, vm.MemoryBytes);
            Assert.Equal(1, vm.VCpus);
            Assert.NotNull(vm.RunningSince);

            await hypervisor.Vms.ExecuteAsync(vm.Key, VmAction.ForceOff);
            await hypervisor.Live.WaitForVmAsync(host, name, v => v.State == VmState.ShutOff && v.CpuPercent is null, "shut off");

            using (var domain = system.LookupDomainByName(name)) domain.Undefine();
            await hypervisor.Live.WaitForAsync(s => !s.Vms.Values.Any(v => v.HostId == host.Id && v.Name == name), "undefined VM to disappear");
        }
        finally
        {
            TestDomains.Remove(system, name);
        }
    }
}
