using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components;

public sealed class VmBulkActionTests : BunitHarness
{
    private static void Select(IRenderedComponent<VmList> list, string vm) =>
        list.Find($"tr[data-vm='{vm}'] td.vm-select input").Change(true);

    [Fact]
    public void Force_off_of_two_vms_on_two_hosts_is_confirmed_with_their_names_and_reported_per_vm()
    {
        using var _ = new CultureScope("en");
        var alpha = Inventory.AddHost("alpha");
        var beta = Inventory.AddHost("beta");
        var web1 = Inventory.AddVm(alpha, "web1");
        var db1 = Inventory.AddVm(beta, "db1");
        Inventory.AddVm(beta, "other");
        var list = Context.Render<VmList>();
        Assert.Empty(list.FindAll("[data-testid=bulk-bar]"));

        Select(list, "web1");
        Select(list, "db1");
        Assert.Equal("2 selected", list.Find("[data-testid=bulk-count]").TextContent.Trim());
        list.Find("[data-testid=bulk-vm-action-forceoff]").Click();

        Dialogs.WaitForAssertion(() => Assert.NotEmpty(Dialogs.FindAll("[data-testid=bulk-confirm-message]")));
        Assert.Equal(["db1 beta", "web1 alpha"],
            Dialogs.FindAll("[data-testid=bulk-vms] tbody tr").Select(r => string.Join(" ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))));
        Assert.Empty(Operations.Calls);
        Dialogs.Find("[data-testid=confirm]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("2 succeeded, 0 failed.", Dialogs.Find("[data-testid=bulk-summary]").TextContent.Trim()));
        Assert.Equal(new HashSet<VmKey> { db1.Key, web1.Key }, Operations.Calls.Select(c => c.Vm).ToHashSet());
        Assert.All(Operations.Calls, c => Assert.Equal(VmAction.ForceOff, c.Action));
        Assert.All(Dialogs.FindAll("[data-testid=bulk-result]"), td => Assert.Equal("OK", td.TextContent.Trim()));
    }

    [Fact]
    public void Select_all_takes_only_the_filtered_rows_and_failures_are_shown_per_vm()
    {
        using var _ = new CultureScope("zh-Hans");
        var alpha = Inventory.AddHost("alpha");
        Inventory.AddVm(alpha, "web1");
        Inventory.AddVm(alpha, "web2");
        Inventory.AddVm(alpha, "db1");
        Operations.Failure = new HypervisorException("Host alpha is offline.") { Kind = HypervisorErrorKind.HostOffline, Arguments = ["alpha"] };
        var list = Context.Render<VmList>();
        list.Find("[data-testid=vm-search] input, input[data-testid=vm-search]").Input("web");

        list.Find("th.vm-select-all input").Change(true);
        Assert.Equal("已选择 2 台", list.Find("[data-testid=bulk-count]").TextContent.Trim());
        // Pausing loses nothing: no confirmation, the results come at once.
        list.Find("[data-testid=bulk-vm-action-pause]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("0 台成功，2 台失败。", Dialogs.Find("[data-testid=bulk-summary]").TextContent.Trim()));
        Assert.Equal(["web1", "web2"], Dialogs.FindAll("[data-testid=bulk-vms] tbody tr").Select(r => r.GetAttribute("data-vm")));
        Assert.All(Dialogs.FindAll("[data-testid=bulk-result]"), td => Assert.Contains("alpha", td.TextContent));
        Assert.Empty(Operations.Calls);
    }

    [Fact]
    public void Actions_are_enabled_only_when_the_user_may_do_them_on_a_selected_vm()
    {
        var alpha = Inventory.AddHost("alpha");
        var web1 = Inventory.AddVm(alpha, "web1");
        Inventory.AddVm(alpha, "db1");
        var team = Guid.NewGuid();
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, null), new RoleGrant(PortalRole.Operator, team)],
            new Dictionary<VmKey, Guid> { [web1.Key] = team });
        var list = Context.Render<VmList>();

        Select(list, "db1");
        Assert.All(VmActionRules.All, a => Assert.True(list.Find($"[data-testid=bulk-{VmActionRules.TestId(a)}]").HasAttribute("disabled")));

        Select(list, "web1");
        Assert.All(VmActionRules.All, a => Assert.False(list.Find($"[data-testid=bulk-{VmActionRules.TestId(a)}]").HasAttribute("disabled")));
    }
}
