using Bunit;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Layout;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

/// <summary>The pages show only what the user may do (the services refuse the rest anyway: see the access matrix).</summary>
public sealed class AccessHidingTests : BunitHarness
{
    private static readonly Guid Team = Guid.NewGuid();

    private static AccessView TeamView(VmInfo owned, RoleGrant grant) =>
        new([grant], new Dictionary<VmKey, Guid> { [owned.Key] = Team }, new Dictionary<Guid, string> { [Team] = "web" });

    [Fact]
    public void A_viewer_sees_the_teams_vms_without_actions_console_or_create()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        var own = Inventory.AddVm(host, "web1");
        Inventory.AddVm(host, "other1");
        Permissions.View = TeamView(own, new RoleGrant(PortalRole.Viewer, Team));

        var list = Context.Render<VmList>();

        Assert.Equal(["web1"], list.FindAll("tr[data-vm]").Select(r => r.GetAttribute("data-vm")));
        Assert.Empty(list.FindAll("[data-testid^=vm-action-]"));
        Assert.Empty(list.FindAll("[data-testid^=vm-console]"));
        Assert.Empty(list.FindAll("[data-testid=vm-new]"));
    }

    [Fact]
    public void An_administrator_sees_every_vm_with_its_actions_console_and_create()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        Inventory.AddVm(host, "web1");
        Inventory.AddVm(host, "other1");

        var list = Context.Render<VmList>();

        Assert.Equal(2, list.FindAll("tr[data-vm]").Count);
        Assert.NotEmpty(list.FindAll("tr[data-vm='other1'] [data-testid=vm-action-forceoff]"));
        Assert.NotEmpty(list.FindAll("tr[data-vm='other1'] [data-testid=vm-console]"));
        Assert.Single(list.FindAll("[data-testid=vm-new]"));
    }

    [Fact]
    public void Only_a_global_grant_sees_every_vm_without_asking_per_vm()
    {
        var host = Inventory.AddHost("alpha");
        var own = Inventory.AddVm(host, "web1");

        Assert.True(new AccessView([new RoleGrant(PortalRole.Viewer, TeamId: null)], new Dictionary<VmKey, Guid>()).CanEverywhere(PortalAction.ViewVm));
        Assert.False(TeamView(own, new RoleGrant(PortalRole.Administrator, Team)).CanEverywhere(PortalAction.ViewVm));
        Assert.False(AccessView.Nothing.CanEverywhere(PortalAction.ViewVm));
    }

    [Fact]
    public void A_view_only_help_desk_user_gets_only_the_view_only_console_and_reboot_when_allowed()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        var own = Inventory.AddVm(host, "web1");
        Permissions.View = TeamView(own, new RoleGrant(PortalRole.HelpDesk, Team, ConsoleViewOnly: true, MayReboot: true));

        var list = Context.Render<VmList>();

        Assert.Equal(["vm-action-reboot"], list.FindAll("[data-testid^=vm-action-]").Select(b => b.GetAttribute("data-testid")));
        Assert.Equal(["vm-console-view"], list.FindAll("[data-testid^=vm-console]").Select(b => b.GetAttribute("data-testid")));
    }

    [Fact]
    public void The_detail_page_of_a_viewer_has_no_delete_edit_tabs_owner_choice_or_screen()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        var own = Inventory.AddVm(host, "web1");
        Permissions.View = TeamView(own, new RoleGrant(PortalRole.Viewer, Team));

        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, own.HostId).Add(x => x.Uuid, own.Uuid));

        Assert.Empty(page.FindAll("[data-testid=vm-delete]"));
        Assert.Empty(page.FindAll("[data-testid=tab-settings]"));
        Assert.Empty(page.FindAll("[data-testid=vm-owner-select]"));
        Assert.Empty(page.FindAll("[data-testid=vm-screenshot]")); // a viewer may not watch the console
        Assert.Equal("web", page.Find("[data-testid=vm-owner]").TextContent.Trim());
    }

    [Fact]
    public void A_vm_of_another_team_is_not_found_for_a_viewer()
    {
        using var _ = new CultureScope("en");
        var host = Inventory.AddHost("alpha");
        var own = Inventory.AddVm(host, "web1");
        var other = Inventory.AddVm(host, "other1");
        Permissions.View = TeamView(own, new RoleGrant(PortalRole.Viewer, Team));

        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, other.HostId).Add(x => x.Uuid, other.Uuid));

        Assert.Single(page.FindAll("[data-testid=vm-not-found]"));
        Assert.Empty(page.FindAll("[data-testid^=vm-action-]"));
    }

    [Fact]
    public void The_menu_of_a_viewer_has_no_storage_networks_or_administration()
    {
        using var _ = new CultureScope("en");
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, Team)], new Dictionary<VmKey, Guid>());
        Authorization.SetAuthorized("viewer");

        var menu = Context.Render<NavMenu>();

        Assert.Single(menu.FindAll("[data-testid=nav-hosts]"));
        Assert.Empty(menu.FindAll("[data-testid=nav-storage]"));
        Assert.Empty(menu.FindAll("[data-testid=nav-networks]"));
        Assert.Empty(menu.FindAll("[data-testid=nav-users]"));
    }

    [Fact]
    public void The_menu_of_an_administrator_has_user_and_team_administration()
    {
        using var _ = new CultureScope("en");
        Authorization.SetAuthorized("admin").SetRoles("Administrator");

        var menu = Context.Render<NavMenu>();

        Assert.Single(menu.FindAll("[data-testid=nav-users]"));
        Assert.Single(menu.FindAll("[data-testid=nav-teams]"));
        Assert.Single(menu.FindAll("[data-testid=nav-storage]"));
    }

    [Fact]
    public void An_operator_of_two_teams_picks_which_one_owns_the_new_vm_starting_with_the_first()
    {
        using var _ = new CultureScope("en");
        Inventory.AddHost("alpha");
        var (web, db) = (Guid.NewGuid(), Guid.NewGuid());
        Permissions.View = new AccessView(
            [new RoleGrant(PortalRole.Operator, web), new RoleGrant(PortalRole.Operator, db), new RoleGrant(PortalRole.Viewer, Team)],
            new Dictionary<VmKey, Guid>(),
            new Dictionary<Guid, string> { [web] = "web", [db] = "db", [Team] = "watched" });

        var wizard = Context.Render<KvmPortal.Web.Components.Pages.Vms.Create.CreateVm>();

        Assert.Single(wizard.FindAll("[data-testid=wizard-team]"));
        Assert.Equal(db, Context.Services.GetRequiredService<VmCreationTeam>().Chosen);
    }
}
