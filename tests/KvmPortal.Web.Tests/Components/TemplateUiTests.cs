using Bunit;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Components.Pages.Vms.Create;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KvmPortal.Web.Tests.Components;

/// <summary>Templates in the pages: the wizard's "From a template" choice, the VM page's mark and badge, the list's filter.</summary>
public sealed class TemplateUiTests : BunitHarness
{
    private RecordingVmCloning? cloning;

    private RecordingVmCloning Cloning => cloning ??= new RecordingVmCloning(Inventory);

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IVmCloning>(Cloning);

    private VmInfo AddTemplate(HostInfo host, string name)
    {
        var vm = Inventory.AddVm(host, name, VmState.ShutOff) with { Template = true, VCpus = 3 };
        Inventory.Push(new VmChanged(vm));
        return vm;
    }

    private VmDetails DetailsOf(VmKey key) =>
        new(Inventory.Current.Vms[key], null, null, "qemu", "hvm", "x86_64", "pc", 1UL << 30, false, [new DiskInfo("disk", "virtio", "vda", "/p/golden.qcow2", "qcow2", false)],
            [new NicInfo("network", "default", "52:54:00:00:00:01", "virtio")], [new GraphicsInfo("vnc", "127.0.0.1", null, true)], "<domain/>");

    private static IRenderedComponent<MudSelect<VmKey?>> TemplatePicker(IRenderedComponent<CreateVm> page) =>
        page.FindComponents<MudSelect<VmKey?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "wizard-template-pick"));

    [Fact]
    public void The_wizard_makes_a_vm_from_a_chosen_template_through_the_clone_dialog()
    {
        var host = Inventory.AddHost("alpha");
        var template = AddTemplate(host, "golden");
        Inventory.AddVm(host, "plain", VmState.ShutOff);
        Operations.Details = DetailsOf;
        var page = Context.Render<CreateVm>();

        page.Find("input[data-testid=wizard-start-template]").Click();

        page.WaitForAssertion(() => Assert.Equal([template.Key], TemplatePicker(page).FindComponents<MudSelectItem<VmKey?>>()
            .Select(i => i.Instance.Value).OfType<VmKey>().Distinct()));
        Assert.Empty(page.FindAll("[data-testid=wizard-steps]"));
        page.InvokeAsync(() => TemplatePicker(page).Instance.ValueChanged.InvokeAsync(template.Key));
        page.WaitForAssertion(() => Assert.Contains("/p/golden.qcow2", page.Find("[data-testid=vm-disks]").TextContent));
        Assert.Contains("default", page.Find("[data-testid=vm-nics]").TextContent);

        page.Find("[data-testid=wizard-template-create]").Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("golden-1", Dialogs.Find("[data-testid=clone-name] input, input[data-testid=clone-name]").GetAttribute("value")));
        Dialogs.Find("[data-testid=clone-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal((template.Key, "golden-1", true), Cloning.Cloned.Select(c => (c.Source, c.Spec.Name, c.Spec.FromTemplate)).Single()));
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/jobs", navigation.Uri)); // the copy runs as a job
    }

    [Fact]
    public void The_wizard_offers_only_templates_the_user_may_see_and_says_when_there_is_none()
    {
        var host = Inventory.AddHost("alpha");
        var hidden = AddTemplate(host, "other-teams-golden");
        var team = Guid.NewGuid();
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Operator, team)], new Dictionary<VmKey, Guid> { [hidden.Key] = Guid.NewGuid() });
        var page = Context.Render<CreateVm>();

        page.Find("input[data-testid=wizard-start-template]").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=wizard-no-templates]"));
        Assert.Empty(page.FindComponents<MudSelect<VmKey?>>());
        page.Find("input[data-testid=wizard-start-blank]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-steps]"));
    }

    [Fact]
    public void A_template_shows_its_badge_and_notice_cannot_be_started_and_is_unmarked_from_its_page()
    {
        var host = Inventory.AddHost("alpha");
        var template = AddTemplate(host, "golden");
        Operations.Details = DetailsOf;
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Uuid, template.Uuid));

        page.WaitForAssertion(() => page.Find("[data-testid=vm-template-notice]"));
        Assert.NotNull(page.Find("[data-testid=vm-template]"));
        Assert.True(page.Find("[data-testid=vm-action-start]").HasAttribute("disabled"));
        Assert.Contains("Create VM from template", page.Find("[data-testid=vm-create-from-template]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=vm-clone]"));

        page.Find("[data-testid=vm-template-unmark]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=vm-template-notice]")));
        Assert.Equal([(template.Key, false)], Templates.Changes);
        Assert.False(page.Find("[data-testid=vm-action-start]").HasAttribute("disabled"));
        Assert.NotNull(page.Find("[data-testid=vm-template-mark]"));
    }

    [Fact]
    public void A_running_vm_cannot_be_marked_and_a_viewer_gets_no_template_button()
    {
        var host = Inventory.AddHost("alpha");
        var running = Inventory.AddVm(host, "busy", VmState.Running);
        Operations.Details = DetailsOf;
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Uuid, running.Uuid));
        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid=vm-template-mark]").HasAttribute("disabled")));

        var off = Inventory.AddVm(host, "idle", VmState.ShutOff);
        var team = Guid.NewGuid();
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, team)], new Dictionary<VmKey, Guid> { [off.Key] = team });
        var viewerPage = Context.Render<VmDetail>(p => p.Add(x => x.HostId, host.Id).Add(x => x.Uuid, off.Uuid));
        viewerPage.WaitForAssertion(() => Assert.Contains("idle", viewerPage.Markup));
        Assert.Empty(viewerPage.FindAll("[data-testid=vm-template-mark]"));
    }

    [Fact]
    public void The_list_marks_templates_and_filters_them()
    {
        var host = Inventory.AddHost("alpha");
        AddTemplate(host, "golden");
        Inventory.AddVm(host, "web1", VmState.ShutOff);
        var page = Context.Render<VmList>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=vm-name]").Count));
        Assert.Single(page.FindAll("tr[data-vm=golden] [data-testid=vm-template]"));
        Assert.Empty(page.FindAll("tr[data-vm=web1] [data-testid=vm-template]"));

        page.Find("[data-testid=vm-filter-templates]").Click();
        page.WaitForAssertion(() => Assert.Equal(["golden"], page.FindAll("[data-testid=vm-name]").Select(e => e.TextContent)));

        page.Find("[data-testid=vm-filter-vms]").Click();
        page.WaitForAssertion(() => Assert.Equal(["web1"], page.FindAll("[data-testid=vm-name]").Select(e => e.TextContent)));
    }
}
