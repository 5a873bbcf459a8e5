using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Host sessions against libvirt's test driver and the real local libvirtd.</summary>
public sealed class HostSessionTests
{
    [Fact]
    public async Task TestDriverHostComesOnlineWithCapabilitiesAndItsDomain()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");

        var snapshot = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running");

        var info = snapshot.Hosts[host.Id];
        Assert.Equal(HostStatus.Online, info.Status);
        Assert.NotNull(info.Capabilities);
        Assert.Equal("TEST", info.Capabilities.HypervisorType);
        Assert.True(info.Capabilities.Cpus > 0);
        Assert.True(info.Capabilities.MemoryBytes > 0);
        var vm = snapshot.Vm(host, "test");
        Assert.True(vm.VCpus > 0);
        Assert.True(vm.MemoryBytes > 0);
        Assert.True(vm.Persistent);
    }

    [Fact]
    public async Task LifecycleActionsShowUpInTheInventory()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        var running = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running");
        var key = running.Vm(host, "test").Key;

        foreach (var (action, expected) in new[]
                 {
                     (VmAction.Pause, VmState.Paused), (VmAction.Resume, VmState.Running),
                     (VmAction.ForceOff, VmState.ShutOff), (VmAction.Start, VmState.Running),
                 })
        {
            await hypervisor.Vms.ExecuteAsync(key, action);
            await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == expected, $"{expected} after {action}");
        }
    }

    [Fact]
    public async Task AnActionTheStateForbidsGivesAClearErrorWithLibvirtsText()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        var running = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running");

        var error = await Assert.ThrowsAsync<HypervisorException>(
            () => hypervisor.Vms.ExecuteAsync(running.Vm(host, "test").Key, VmAction.Start));

        Assert.StartsWith("Start test", error.Message);
        Assert.NotNull(error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.LibvirtMessage));
    }

    [Fact]
    public async Task AnUnknownVmGivesAClearError()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        var error = await Assert.ThrowsAsync<HypervisorException>(
            () => hypervisor.Vms.ExecuteAsync(new VmKey(host.Id, Guid.NewGuid()), VmAction.ForceOff));

        Assert.Contains("no longer exists", error.Message);
        Assert.Equal(HypervisorErrorKind.VmGone, error.Kind);
        Assert.Equal([host.Name], error.Arguments);
    }

    [Fact]
    public async Task DetailsComeFromTheDomainXml()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        var running = await hypervisor.Live.WaitForVmAsync(host, "test", vm => vm.State == VmState.Running, "running");

        var details = await hypervisor.Vms.GetDetailsAsync(running.Vm(host, "test").Key);

        Assert.Equal("test", details.Info.Name);
        Assert.Contains("<name>test</name>", details.Xml);
        Assert.Equal("hvm", details.OsType);
        Assert.True(details.MaxMemoryBytes > 0);
    }

    [Fact]
    public async Task ARefusingHostIsOfflineWithAReasonAndDoesNotBlockAnother()
    {
        await using var hypervisor = new HypervisorHarness();
        using var closedPort = new SilentListener();
        var refusedUri = closedPort.Uri;
        closedPort.Dispose(); // nothing listens there any more: connections are refused

        var refused = hypervisor.Attach(refusedUri);
        var healthy = hypervisor.Attach("test:///default");

        var snapshot = await hypervisor.Live.WaitForHostAsync(refused, HostStatus.Offline);
        Assert.False(string.IsNullOrWhiteSpace(snapshot.Hosts[refused.Id].StatusMessage));
        Assert.Equal(HostOfflineReason.ConnectionRefused, snapshot.Hosts[refused.Id].OfflineReason);
        await hypervisor.Live.WaitForHostAsync(healthy, HostStatus.Online);
    }

    [Fact]
    public async Task AHungHostDoesNotDelayAnotherAndGoesOfflineAfterTheTimeout()
    {
        await using var hypervisor = new HypervisorHarness(new HypervisorOptions
        {
            StatsInterval = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(3),
            ReconnectMinDelay = TimeSpan.FromSeconds(30),
        });
        using var silent = new SilentListener();
        var hung = hypervisor.Attach(silent.Uri, "hung");
        var healthy = hypervisor.Attach("test:///default");

        var running = await hypervisor.Live.WaitForVmAsync(healthy, "test", vm => vm.State == VmState.Running, "running");
        Assert.Equal(HostStatus.Connecting, hypervisor.Live.Current.Hosts[hung.Id].Status);
        await hypervisor.Vms.ExecuteAsync(running.Vm(healthy, "test").Key, VmAction.Pause);
        await hypervisor.Live.WaitForVmAsync(healthy, "test", vm => vm.State == VmState.Paused, "paused while the other host hangs");

        var offline = await hypervisor.Live.WaitForHostAsync(hung, HostStatus.Offline);
        Assert.Contains("did not answer", offline.Hosts[hung.Id].StatusMessage);
        Assert.Equal(HostOfflineReason.ConnectTimeout, offline.Hosts[hung.Id].OfflineReason);
        Assert.Equal(["3"], offline.Hosts[hung.Id].OfflineArguments);
    }

    [Fact]
    public async Task RemovingAHostRemovesItAndItsVms()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForVmAsync(host, "test", _ => true, "present");

        await hypervisor.Hosts.DetachAsync(host.Id);

        Assert.False(hypervisor.Live.Current.Hosts.ContainsKey(host.Id));
        Assert.DoesNotContain(hypervisor.Live.Current.Vms.Values, vm => vm.HostId == host.Id);
    }
}
