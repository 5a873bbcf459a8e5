using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;

namespace KvmPortal.Web.Tests.Components;

public sealed class VmDetailTests : BunitHarness
{
    private static VmDetails DetailsFor(VmInfo vm) => new(
        vm, "Demo", "A tiny guest", "qemu", "hvm", "x86_64", "pc-i440fx-7.2", 512UL << 20, false,
        [new DiskInfo("disk", "virtio", "vda", "/var/lib/libvirt/images/demo.qcow2", "qcow2", false)],
        [new NicInfo("network", "default", "52:54:00:12:34:56", "virtio")],
        [new GraphicsInfo("vnc", "127.0.0.1", 5900, true)],
        $"<domain type='qemu'><name>{vm.Name}</name></domain>");

    [Fact]
    public void Shows_the_details_and_refetches_them_when_the_state_changes()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "kvmportal-demo");
        var fetched = 0;
        Operations.Details = key => { fetched++; return DetailsFor(Inventory.Current.Vms[key]); };

        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));

        page.WaitForAssertion(() => Assert.Equal("qemu", page.Find("[data-testid=vm-domain-type]").TextContent));
        Assert.Contains("/var/lib/libvirt/images/demo.qcow2", page.Find("[data-testid=vm-disks]").TextContent);
        Assert.Contains("52:54:00:12:34:56", page.Find("[data-testid=vm-nics]").TextContent);
        Assert.Contains("5900", page.Find("[data-testid=vm-graphics]").TextContent);
        Assert.Equal(1, fetched);

        // A stats-only change does not re-read the XML; a state change does.
        Inventory.Push(new VmChanged(vm with { CpuPercent = 50 }));
        Inventory.Push(new VmChanged(vm with { State = VmState.Paused }));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("paused", page.Find("[data-testid=vm-state]").TextContent.Trim());
            Assert.Equal(2, fetched);
        });
    }

    [Fact]
    public void A_vm_that_disappears_says_so()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        Operations.Details = key => DetailsFor(Inventory.Current.Vms[key]);
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));

        Inventory.Push(new VmRemoved(vm.Key));

        page.WaitForAssertion(() => Assert.Equal(
            "This VM no longer exists on host alpha.", page.Find("[data-testid=vm-not-found]").TextContent.Trim()));
    }

    [Fact]
    public void A_details_error_is_shown_on_the_page()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        Operations.Details = _ => throw new HypervisorException("Could not read web1.", "Domain not found");

        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));

        page.WaitForAssertion(() =>
            Assert.Equal("Could not read web1. Libvirt said: Domain not found", page.Find("[data-testid=vm-details-error]").TextContent.Trim()));
    }
}
