using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;

namespace KvmPortal.Web.Tests.Components;

public sealed class VmEditTabsTests : BunitHarness
{
    private IRenderedComponent<VmDetail> RenderDetail(VmState state)
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1", state);
        Operations.Details = key => new VmDetails(Inventory.Current.Vms[key], "Web", null, "kvm", "hvm", "x86_64", "q35", 2UL << 30, false,
            [], [], [], "<domain><os><boot dev='hd'/></os></domain>");
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
        page.WaitForAssertion(() => page.Find("[data-testid=vm-domain-type]"));
        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Settings")).Click();
        page.WaitForAssertion(() => page.Find("[data-testid=edit-vcpus-apply]"));
        return page;
    }

    [Fact]
    public void Vcpus_are_set_in_the_definition_by_default_and_a_refusal_shows_libvirts_text()
    {
        var page = RenderDetail(VmState.Running);
        Assert.Contains("next time the VM starts", page.Markup);

        page.Find("[data-testid=edit-vcpus] input, input[data-testid=edit-vcpus]").Change("3");
        page.Find("[data-testid=edit-vcpus-apply]").Click();
        page.WaitForAssertion(() => Assert.Equal(["SetVcpus 3 Config"], Editing.Calls));

        Editing.Failure = new HypervisorException("Could not set the vCPUs of web1.", "requested vcpus is greater than max allowable vcpus");
        page.Find("[data-testid=edit-vcpus-apply]").Click();
        page.WaitForAssertion(() => Assert.Contains("greater than max allowable", page.Find("[data-testid=vm-edit-error]").TextContent));
    }

    [Fact]
    public void Rename_is_offered_only_when_the_vm_is_shut_off()
    {
        var page = RenderDetail(VmState.Running);
        Assert.True(page.Find("[data-testid=edit-rename]").HasAttribute("disabled"));
    }
}
