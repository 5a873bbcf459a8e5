using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Usage;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class UsageReportScopeTests
{
    private static readonly Guid Web = Guid.NewGuid(), Db = Guid.NewGuid();

    private static UsageReportScope? Of(params RoleGrant[] grants) => UsageReportScope.Of(new AccessView(grants, new Dictionary<VmKey, Guid>()));

    [Fact]
    public void A_global_usage_grant_covers_every_team()
    {
        var scope = Of(new RoleGrant(PortalRole.Viewer, null), new RoleGrant(PortalRole.Operator, Web));

        Assert.NotNull(scope);
        Assert.Null(scope.Teams);
    }

    [Fact]
    public void Team_grants_that_allow_usage_give_those_teams_once()
    {
        var scope = Of(new RoleGrant(PortalRole.Viewer, Web), new RoleGrant(PortalRole.Operator, Web),
            new RoleGrant(PortalRole.Administrator, Db), new RoleGrant(PortalRole.HelpDesk, Guid.NewGuid()));

        Assert.NotNull(scope?.Teams);
        Assert.Equal(new[] { Web, Db }.Order(), scope.Teams.Order());
    }

    [Fact]
    public void Help_desk_alone_sees_no_usage()
    {
        Assert.Null(Of(new RoleGrant(PortalRole.HelpDesk, null, ConsoleViewOnly: false, MayReboot: true)));
        Assert.Null(Of());
    }
}
