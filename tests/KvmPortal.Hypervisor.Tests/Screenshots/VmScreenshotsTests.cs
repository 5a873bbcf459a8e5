using KvmPortal.Hypervisor.Consoles.Screenshots;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests.Screenshots;

/// <summary>The screenshot service on qemu:///system: the running demo VM's screen as a PNG, and refusals before libvirt.</summary>
public sealed class VmScreenshotsTests
{
    private static string DemoVm =>
        Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") is { Length: > 0 } name ? name : "kvmportal-demo";

    [Fact]
    public async Task The_demo_vm_screen_comes_as_a_sound_png_shared_while_fresh_and_a_stopped_vm_has_none()
    {
        using var system = TestDomains.OpenSystem();
        var stoppedName = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        try
        {
            var host = hypervisor.Attach(TestDomains.SystemUri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            using (system.DefineDomain(TestDomains.TinyDomainXml(stoppedName))) { }
            var snapshot = await hypervisor.Live.WaitForVmAsync(host, stoppedName, v => v.State == VmState.ShutOff, "defined");
            var demo = new VmKey(host.Id, snapshot.Vm(host, DemoVm).Uuid);
            var stopped = new VmKey(host.Id, snapshot.Vm(host, stoppedName).Uuid);
            var screenshots = new VmScreenshots(hypervisor.Hosts, hypervisor.Inventory, TimeProvider.System);

            var shots = await Task.WhenAll(screenshots.CaptureAsync(demo), screenshots.CaptureAsync(demo));

            Assert.Same(shots[0], shots[1]);
            var firstChunk = System.Text.Encoding.ASCII.GetString(shots[0].Png, 12, 4);
            Assert.Equal("IHDR", firstChunk);
            Assert.Equal((shots[0].Width, shots[0].Height), PngHeader.ReadSize(shots[0].Png));
            Assert.InRange(shots[0].Width, 320, 8192);

            var refused = await Assert.ThrowsAsync<HypervisorException>(() => screenshots.CaptureAsync(stopped));
            Assert.Equal(HypervisorErrorKind.InvalidState, refused.Kind);
            var unknown = await Assert.ThrowsAsync<HypervisorException>(() => screenshots.CaptureAsync(new VmKey(host.Id, Guid.NewGuid())));
            Assert.Equal(HypervisorErrorKind.VmGone, unknown.Kind);
        }
        finally
        {
            TestDomains.Remove(system, stoppedName);
        }
    }
}
