using Bunit;
using Microsoft.Extensions.DependencyInjection;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Components.Pages.Vms;

namespace KvmPortal.Web.Tests.Components;

public sealed class DeleteVmDialogTests : BunitHarness
{
    private IRenderedComponent<VmDetail> OpenDialog(out KvmPortal.Hypervisor.Vms.VmInfo vm)
    {
        var host = Inventory.AddHost("alpha");
        vm = Inventory.AddVm(host, "web1", KvmPortal.Hypervisor.Vms.VmState.ShutOff);
        var info = vm;
        Operations.Details = _ => new KvmPortal.Hypervisor.Vms.VmDetails(info, null, null, "qemu", "hvm", "x86_64", "pc", 1UL << 30, false,
            [], [], [], "<domain/>");
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, info.HostId).Add(x => x.Uuid, info.Uuid));
        page.WaitForAssertion(() => page.Find("[data-testid=vm-delete]").Click());
        Dialogs.WaitForAssertion(() => Dialogs.Find("[data-testid=delete-plan]"));
        return page;
    }

    [Fact]
    public void Deleting_a_vm_with_disks_needs_its_name_and_lists_what_goes()
    {
        OpenDialog(out _);

        Assert.Contains("web1.qcow2", Dialogs.Find("[data-testid=delete-kept]").TextContent);
        Assert.True(Dialogs.Find("[data-testid=delete-confirm]").HasAttribute("disabled"));

        Dialogs.Find("[data-testid=delete-storage]").Change(true);
        Dialogs.WaitForAssertion(() => Assert.Contains("/var/lib/libvirt/images/web1.qcow2", Dialogs.Find("[data-testid=delete-plan]").TextContent));

        Dialogs.Find("[data-testid=delete-name] input, input[data-testid=delete-name]").Input("web");
        Assert.True(Dialogs.Find("[data-testid=delete-confirm]").HasAttribute("disabled"));
        Dialogs.Find("[data-testid=delete-name] input, input[data-testid=delete-name]").Input("web1");
        Dialogs.WaitForAssertion(() => Assert.False(Dialogs.Find("[data-testid=delete-confirm]").HasAttribute("disabled")));

        Dialogs.Find("[data-testid=delete-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal(["Delete storage=True snapshots=True nvram=True"], Editing.Calls));
    }

    [Fact]
    public void A_vm_without_disks_is_deleted_without_typing_its_name_and_the_page_goes_back_to_the_list()
    {
        Editing.Deletion = (_, options) => new DeletionPlan("web1", false, [], [], options.RemoveSnapshotsMetadata, null, false);
        OpenDialog(out var vm);

        Assert.Empty(Dialogs.FindAll("[data-testid=delete-name]"));
        // As with libvirt's events, the VM leaves the inventory before the delete call returns.
        Inventory.Push(new KvmPortal.Hypervisor.Inventory.VmRemoved(vm.Key));
        Dialogs.Find("[data-testid=delete-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Single(Editing.Calls));
        var navigation = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        Dialogs.WaitForAssertion(() => Assert.EndsWith("/vms", navigation.Uri));
    }
}
