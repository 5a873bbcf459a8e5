using Bunit;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

public sealed class CloneVmDialogTests : BunitHarness
{
    private RecordingVmCloning? cloning;

    private RecordingVmCloning Cloning => cloning ??= new RecordingVmCloning(Inventory);

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IVmCloning>(Cloning);

    private IRenderedComponent<VmDetail> Render(VmInfo vm)
    {
        Operations.Details = _ => new VmDetails(vm, null, null, "qemu", "hvm", "x86_64", "pc", 1UL << 30, false, [], [], [], "<domain/>");
        return Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
    }

    private const string NameInput = "[data-testid=clone-name] input, input[data-testid=clone-name]";

    [Fact]
    public void The_name_is_checked_as_it_is_typed_and_a_valid_clone_starts_as_a_job()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1", VmState.ShutOff);
        Inventory.AddVm(host, "web2", VmState.ShutOff);
        var page = Render(vm);
        page.WaitForAssertion(() => page.Find("[data-testid=vm-clone]").Click());
        Dialogs.WaitForAssertion(() => Dialogs.Find(NameInput));

        Dialogs.Find(NameInput).Input("a/b");
        Dialogs.WaitForAssertion(() => Assert.Contains("The VM name must not contain '/'.", Dialogs.Markup));
        Assert.True(Dialogs.Find("[data-testid=clone-confirm]").HasAttribute("disabled"));
        Dialogs.Find(NameInput).Input("web2");
        Dialogs.WaitForAssertion(() => Assert.Contains("A VM called \"web2\" already exists on this host.", Dialogs.Markup));
        Assert.True(Dialogs.Find("[data-testid=clone-confirm]").HasAttribute("disabled"));
        Dialogs.Find(NameInput).Input("web1-copy");
        Dialogs.WaitForAssertion(() => Assert.False(Dialogs.Find("[data-testid=clone-confirm]").HasAttribute("disabled")));

        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        Dialogs.Find("[data-testid=clone-confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("web1-copy", Assert.Single(Cloning.Cloned).Spec.Name));
        var job = Assert.Single(Jobs.Started);
        Assert.Equal(KvmPortal.Web.Jobs.JobKinds.VmClone, job.Kind);
        Assert.Equal("web1 → web1-copy", job.Subject);
        Assert.Equal("web1-copy", job.Target.VmName);
        Snackbars.WaitForAssertion(() => Assert.Contains("Clone VM web1 → web1-copy started", Snackbars.Markup));
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll(NameInput))); // the dialog closed; the job runs on
        Assert.Equal(before, navigation.Uri); // the page stays; the job center follows the copy
    }

    [Fact]
    public void A_running_vm_or_a_user_who_may_not_create_vms_gets_no_clone_button()
    {
        var host = Inventory.AddHost("alpha");
        var running = Inventory.AddVm(host, "busy", VmState.Running);
        var page = Render(running);
        page.WaitForAssertion(() => page.Find("[data-testid=vm-delete]"));
        Assert.Empty(page.FindAll("[data-testid=vm-clone]"));

        var off = Inventory.AddVm(host, "idle", VmState.ShutOff);
        var team = Guid.NewGuid();
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, team)], new Dictionary<VmKey, Guid> { [off.Key] = team });
        var viewerPage = Render(off);
        viewerPage.WaitForAssertion(() => Assert.Contains("idle", viewerPage.Markup));
        Assert.Empty(viewerPage.FindAll("[data-testid=vm-clone]"));
    }
}
