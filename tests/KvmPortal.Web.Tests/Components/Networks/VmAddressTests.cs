using Bunit;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Vms;

namespace KvmPortal.Web.Tests.Components.Networks;

public sealed class VmAddressTests : BunitHarness
{
    [Fact]
    public void The_vm_list_shows_each_vms_addresses_live()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1");
        var list = Context.Render<VmList>();
        list.WaitForAssertion(() => Assert.Equal(1, Inventory.SubscriberCount));
        Assert.Equal("", list.Find("tr[data-vm=web1] [data-testid=vm-addresses]").TextContent.Trim());

        Inventory.Push(new VmChanged(vm with
        {
            Addresses = new ValueList<VmAddress>([
                new("fd00::5", 64, "52:54:00:00:00:01", VmAddressSource.Lease),
                new("192.168.100.5", 24, "52:54:00:00:00:01", VmAddressSource.Lease),
            ]),
        }));

        list.WaitForAssertion(() => Assert.Equal("192.168.100.5, fd00::5", list.Find("tr[data-vm=web1] [data-testid=vm-addresses]").TextContent.Trim()));
    }

    [Fact]
    public void The_vm_overview_shows_its_addresses()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1") with
        {
            Addresses = new ValueList<VmAddress>([new("192.168.100.5", 24, "52:54:00:00:00:01", VmAddressSource.Agent)]),
        };

        var overview = Context.Render<VmOverview>(p => p.Add(x => x.Vm, vm).Add(x => x.Now, DateTimeOffset.UtcNow));

        Assert.Equal("192.168.100.5", overview.Find("[data-testid=vm-addresses]").TextContent.Trim());
    }
}
