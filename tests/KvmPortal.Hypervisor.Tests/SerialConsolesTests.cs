using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Serial consoles through the service layer on qemu:///system, on a throw-away kvmportal-test-* guest with two
/// silent text consoles (the demo guest's shell is exercised by the libvirt and end-to-end tests).
/// </summary>
public sealed class SerialConsolesTests
{
    [Fact]
    public async Task OpensTheFirstOrANamedConsoleRefusesABusyOneAndTakesItOverOnRequest()
    {
        using var system = TestDomains.OpenSystem();
        var name = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(TestDomains.SystemUri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            using (var domain = system.DefineDomain(TestDomains.TinyDomainWithConsolesXml(name))) domain.Create();
            var vm = new VmKey(host.Id, (await hypervisor.Live.WaitForVmAsync(host, name, v => v.State == VmState.Running, "running")).Vm(host, name).Uuid);

            var devices = await hypervisor.SerialConsoles.ListDevicesAsync(vm);
            Assert.Equal(["serial0", "console1"], devices.Select(d => d.Alias));

            await using (var first = await hypervisor.SerialConsoles.OpenAsync(vm, null, takeOver: false))
            {
                Assert.Equal("serial0", first.Device.Alias);
                var busy = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.SerialConsoles.OpenAsync(vm, "serial0", takeOver: false));
                Assert.Equal(HypervisorErrorKind.ConsoleInUse, busy.Kind);

                await using var second = await hypervisor.SerialConsoles.OpenAsync(vm, "serial0", takeOver: true);
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                // The first learns it lost the console: libvirt ends its stream with an I/O failure.
                await Assert.ThrowsAsync<IOException>(async () => _ = await first.ReadAsync(new byte[64], patience.Token));
            }

            await using (var virtio = await hypervisor.SerialConsoles.OpenAsync(vm, "console1", takeOver: false))
                Assert.Equal("virtio", virtio.Device.TargetType);

            var unknown = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.SerialConsoles.OpenAsync(vm, "serial9", takeOver: false));
            Assert.Equal(HypervisorErrorKind.NoSerialConsole, unknown.Kind);

            using (var domain = system.LookupDomainByName(name)) domain.Destroy();
            var stopped = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.SerialConsoles.OpenAsync(vm, null, takeOver: false));
            Assert.Equal(HypervisorErrorKind.InvalidState, stopped.Kind);
        }
        finally
        {
            TestDomains.Remove(system, name);
        }
    }

    [Fact]
    public async Task AGuestWithoutASerialPortHasNoConsole()
    {
        using var system = TestDomains.OpenSystem();
        var name = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(TestDomains.SystemUri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            using (var domain = system.DefineDomain(TestDomains.TinyDomainXml(name))) domain.Create();
            var vm = new VmKey(host.Id, (await hypervisor.Live.WaitForVmAsync(host, name, v => v.State == VmState.Running, "running")).Vm(host, name).Uuid);

            var e = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.SerialConsoles.OpenAsync(vm, null, takeOver: false));

            Assert.Equal(HypervisorErrorKind.NoSerialConsole, e.Kind);
        }
        finally
        {
            TestDomains.Remove(system, name);
        }
    }
}
