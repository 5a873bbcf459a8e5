using KvmPortal.Web.Access;
using KvmPortal.Web.Oidc;

namespace KvmPortal.Web.Tests.Oidc;

public sealed class OidcGroupMapperTests
{
    private static readonly Guid Web = Guid.NewGuid();

    private static readonly Dictionary<string, Guid> Teams = new() { ["Web"] = Web };

    [Fact]
    public void Listed_groups_map_to_their_grants_and_other_groups_to_nothing()
    {
        var mapped = OidcGroupMapper.Map(["admins", "web-ops", "coffee-club"], new Dictionary<string, OidcGroupMapping>
        {
            ["admins"] = new() { Role = PortalRole.Administrator },
            ["web-ops"] = new() { Role = PortalRole.Operator, Team = "Web" },
        }, Teams);

        Assert.Equal([new RoleGrant(PortalRole.Administrator, null), new RoleGrant(PortalRole.Operator, Web)], mapped.Grants);
        Assert.Empty(mapped.UnknownTeams);
    }

    [Fact]
    public void Group_names_and_team_names_match_exactly()
    {
        var mapped = OidcGroupMapper.Map(["Admins", "web-ops"], new Dictionary<string, OidcGroupMapping>
        {
            ["admins"] = new() { Role = PortalRole.Administrator },
            ["web-ops"] = new() { Role = PortalRole.Operator, Team = "web" },
        }, Teams);

        Assert.Empty(mapped.Grants);
        Assert.Equal(["web"], mapped.UnknownTeams);
    }

    [Fact]
    public void Help_desk_flags_only_count_for_the_help_desk_and_two_groups_for_the_same_grant_give_its_wider_form()
    {
        var mapped = OidcGroupMapper.Map(["desk-view", "desk-reboot", "ops"], new Dictionary<string, OidcGroupMapping>
        {
            ["desk-view"] = new() { Role = PortalRole.HelpDesk, Team = "Web", ConsoleViewOnly = true },
            ["desk-reboot"] = new() { Role = PortalRole.HelpDesk, Team = "Web", ConsoleViewOnly = false, MayReboot = true },
            ["ops"] = new() { Role = PortalRole.Operator, Team = "Web", ConsoleViewOnly = true, MayReboot = true },
        }, Teams);

        Assert.Equal(
            [new RoleGrant(PortalRole.HelpDesk, Web, ConsoleViewOnly: false, MayReboot: true), new RoleGrant(PortalRole.Operator, Web)],
            mapped.Grants);
    }

    [Fact]
    public void Two_view_only_help_desk_groups_stay_view_only()
    {
        var mapped = OidcGroupMapper.Map(["a", "b"], new Dictionary<string, OidcGroupMapping>
        {
            ["a"] = new() { Role = PortalRole.HelpDesk, Team = "Web", ConsoleViewOnly = true },
            ["b"] = new() { Role = PortalRole.HelpDesk, Team = "Web", ConsoleViewOnly = true },
        }, Teams);

        Assert.Equal([new RoleGrant(PortalRole.HelpDesk, Web, ConsoleViewOnly: true)], mapped.Grants);
    }
}
