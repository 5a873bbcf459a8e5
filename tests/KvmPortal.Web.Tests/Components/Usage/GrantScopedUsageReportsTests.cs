using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class GrantScopedUsageReportsTests
{
    private static readonly Guid Web = Guid.NewGuid(), Db = Guid.NewGuid();
    private static readonly VmKey WebVm = new(Guid.NewGuid(), Guid.NewGuid()), DbVm = new(Guid.NewGuid(), Guid.NewGuid());
    private readonly InMemoryUsageHistory history = new();
    private readonly FixedAccessViewSource access = new();

    private GrantScopedUsageReports With(params RoleGrant[] grants)
    {
        access.View = new AccessView(grants, new Dictionary<VmKey, Guid> { [WebVm] = Web, [DbVm] = Db });
        return new GrantScopedUsageReports(history, access);
    }

    [Fact]
    public async Task A_global_usage_grant_reports_every_team()
    {
        await With(new RoleGrant(PortalRole.Viewer, null), new RoleGrant(PortalRole.Operator, Web))
            .ReportAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, default);

        Assert.Null(Assert.Single(history.ReportQueries).Teams);
    }

    [Fact]
    public async Task Team_grants_that_allow_usage_report_those_teams_once()
    {
        var reports = With(new RoleGrant(PortalRole.Viewer, Web), new RoleGrant(PortalRole.Operator, Web),
            new RoleGrant(PortalRole.Administrator, Db), new RoleGrant(PortalRole.HelpDesk, Guid.NewGuid()));

        await reports.ReportAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, default);

        var teams = Assert.Single(history.ReportQueries).Teams;
        Assert.NotNull(teams);
        Assert.Equal(new[] { Web, Db }.Order(), teams.Order());
        Assert.True(await reports.MayViewReportsAsync(default));
    }

    [Fact]
    public async Task Help_desk_is_refused_every_usage_read()
    {
        var reports = With(new RoleGrant(PortalRole.HelpDesk, null, MayReboot: true));

        Assert.False(await reports.MayViewReportsAsync(default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.ReportAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.VmSeriesAsync(WebVm, UsagePeriod.Hour, default));
        Assert.Empty(history.ReportQueries);
        Assert.Empty(history.SeriesRequests);
    }

    [Fact]
    public async Task A_vms_series_needs_the_usage_permission_on_its_team()
    {
        var reports = With(new RoleGrant(PortalRole.Viewer, Web));

        await reports.VmSeriesAsync(WebVm, UsagePeriod.Day, default);
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.VmSeriesAsync(DbVm, UsagePeriod.Day, default));

        Assert.Equal((WebVm.Uuid, UsagePeriod.Day), Assert.Single(history.SeriesRequests));
    }

    [Fact]
    public async Task A_user_without_grants_may_not_read_a_hosts_usage()
    {
        var reports = With();

        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.HostLatestAsync(Guid.NewGuid(), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.HostSeriesAsync(Guid.NewGuid(), UsagePeriod.Hour, default));
    }
}
