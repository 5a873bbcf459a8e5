using Bunit;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components;

/// <summary>The VM list's optional screens column: off by default, remembered by the browser, only for VMs whose console the user may watch.</summary>
public sealed class VmListScreensTests : BunitHarness
{
    private BunitJSModuleInterop Preferences() => Context.JSInterop.SetupModule("./js/browser-preferences.js");

    [Fact]
    public void Screens_are_off_until_the_switch_turns_them_on_and_the_browser_remembers_the_choice()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1");
        Inventory.AddVm(host, "db1", VmState.ShutOff);
        var preferences = Preferences();
        preferences.Setup<string?>("get", VmList.ShowScreensPreference).SetResult(null);
        preferences.SetupVoid("set", VmList.ShowScreensPreference, "true").SetVoidResult();

        var list = Context.Render<VmList>();
        list.WaitForAssertion(() => Assert.Single(preferences.Invocations, i => i.Identifier == "get"));
        Assert.Empty(list.FindAll("[data-testid=vm-screen-cell]"));
        Assert.Empty(list.FindAll("[data-testid=vm-screenshot]"));

        list.Find("input[data-testid=vm-screens-toggle], [data-testid=vm-screens-toggle] input").Change(true);

        Assert.Equal("Screen", list.FindAll("thead th")[1].TextContent.Trim());
        Assert.Equal("true", list.Find("tr[data-vm='web1'] [data-testid=vm-screenshot]").GetAttribute("data-has-screen"));
        // A stopped VM has nothing to show, and the list says nothing about it (the state column does).
        var stopped = list.Find("tr[data-vm='db1'] [data-testid=vm-screenshot]");
        Assert.Equal("false", stopped.GetAttribute("data-has-screen"));
        Assert.Equal("", stopped.TextContent.Trim());
        preferences.VerifyInvoke("set");
        Assert.Equal([VmList.ShowScreensPreference, "true"], preferences.Invocations.Single(i => i.Identifier == "set").Arguments);
    }

    [Fact]
    public void A_remembered_choice_shows_screens_only_of_the_vms_whose_console_the_user_may_watch()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        var desk = Inventory.AddVm(host, "web1");
        var viewed = Inventory.AddVm(host, "db1");
        Inventory.AddVm(host, "other1");
        var (deskTeam, viewedTeam) = (Guid.NewGuid(), Guid.NewGuid());
        Permissions.View = new AccessView(
            [new RoleGrant(PortalRole.HelpDesk, deskTeam, ConsoleViewOnly: true), new RoleGrant(PortalRole.Viewer, viewedTeam)],
            new Dictionary<VmKey, Guid> { [desk.Key] = deskTeam, [viewed.Key] = viewedTeam });
        Preferences().Setup<string?>("get", VmList.ShowScreensPreference).SetResult("true");

        var list = Context.Render<VmList>();

        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-testid=vm-screen-cell]").Count));
        Assert.Equal(["db1", "web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Single(list.FindAll("tr[data-vm='web1'] [data-testid=vm-screenshot]"));
        Assert.Empty(list.FindAll("tr[data-vm='db1'] [data-testid=vm-screenshot]"));
    }
}
