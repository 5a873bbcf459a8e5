using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data.Usage;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>
/// The team report on the real database, over a day of its own: six and a half hours of one-minute samples of VMs
/// with known behaviour, hourly buckets done for five hours, 5-minute ones up to ten minutes ago, every raw sample
/// kept (so anything counted twice shows). Figures are checked against the samples themselves.
/// </summary>
public sealed class UsageReportTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly DateTimeOffset day = UsageWindow.RandomDay();
    private readonly AccessScenario access = new(app);

    private DateTimeOffset Now => day.AddHours(6.5);

    private UsageHistory History => new(access.Contexts, Options.Create(new UsageOptions()), new FixedClock(Now));

    private sealed record Arranged(Guid Host, Guid TeamX, Guid TeamY, Dictionary<string, List<VmSampleRecord>> Vms);

    private async Task<Arranged> ArrangeAsync()
    {
        var host = await access.CreateHostAsync();
        var x = await access.CreateTeamAsync("x");
        var y = await access.CreateTeamAsync("y");
        var vms = new Dictionary<string, List<VmSampleRecord>>
        {
            ["busy"] = Generate(host, x, VmBehaviour.Steady(0.5, 0.8)),
            ["idle"] = Generate(host, x, VmBehaviour.Steady(0.01, 0.1)),
            ["small"] = Generate(host, x, new VmBehaviour(4, 8L << 20, i => i % 10 == 0 ? 0.2 : 0.1, _ => 1L << 20)),
            ["no-balloon"] = Generate(host, x, VmBehaviour.Steady(0.1, null)),
            ["memory-hungry"] = Generate(host, x, VmBehaviour.Steady(0.1, 0.9)),
            ["spiky"] = Generate(host, x, new VmBehaviour(2, 4L << 20, i => i == 200 ? 0.03 : 0.01, _ => 1L << 18)),
            ["other-team"] = Generate(host, y, VmBehaviour.Steady(0.3, 0.5)),
            ["unowned"] = Generate(host, null, VmBehaviour.Steady(0.3, null)),
        };
        // Moved from team x to team y at 03:00 (a bucket's team is its last sample's: the move is on a bucket boundary).
        var moved = Generate(host, x, VmBehaviour.Steady(0.2, 0.5));
        foreach (var sample in moved.Where(s => s.SampledAt >= day.AddHours(3)))
            sample.TeamId = y;
        vms["moved"] = moved;
        // Migrated to another host at 04:00: one line, named after the host it ended on.
        var otherHost = await access.CreateHostAsync();
        foreach (var sample in vms["busy"].Where(s => s.SampledAt >= day.AddHours(4)))
            sample.HostId = otherHost;
        foreach (var (name, samples) in vms)
            await UsageRows.WriteAsync(access.Contexts, name, samples, hoursDoneBefore: day.AddHours(5), fiveMinutesDoneBefore: day.AddHours(6.5 - 10 / 60.0), rawKeptFrom: day);
        return new Arranged(host, x, y, vms);
    }

    private List<VmSampleRecord> Generate(Guid host, Guid? team, VmBehaviour behaviour) =>
        UsageRows.Samples(Guid.NewGuid(), host, team, day, Now, Interval, behaviour);

    private Task<UsageReport> GlobalReportAsync() =>
        History.ReportAsync(new UsageReportQuery(day, day.AddDays(1), null), CancellationToken.None);

    [Fact]
    public async Task Figures_per_vm_match_the_samples_including_the_part_not_rolled_up()
    {
        var arranged = await ArrangeAsync();

        var report = await GlobalReportAsync();

        Assert.Equal(10, report.Vms.Count); // nine VMs, the moved one once per team
        foreach (var (name, samples) in arranged.Vms)
        {
            foreach (var part in samples.GroupBy(s => s.TeamId))
            {
                var line = Assert.Single(report.Vms, l => l.VmUuid == samples[0].VmUuid && l.TeamId == part.Key);
                var expected = part.ToList();
                Assert.Equal(name, line.VmName);
                Assert.Equal(expected[^1].HostId, line.HostId);
                Assert.StartsWith("access-", line.HostName);
                Assert.Equal(expected.Sum(s => s.IntervalSeconds * s.Vcpus) / 3600, line.VcpuHours, 9);
                Assert.Equal(expected.Sum(s => s.IntervalSeconds * s.MemoryKib) / 1024 / 1024 / 3600, line.MemoryGibHours, 9);
                Assert.Equal(expected.Sum(s => (double)s.CpuTimeNs) / expected.Sum(s => s.IntervalSeconds * s.Vcpus * 1e9) * 100, line.CpuAveragePercent, 9);
                Assert.Equal(expected.Max(UsageRows.CpuPercent), line.CpuPeakPercent, 9);
                Assert.Equal(expected.Max(s => s.MemoryKib), line.MemoryAllocatedKib);
                Assert.Equal(expected.Max(s => s.MemoryUsedKib), line.MemoryPeakUsedKib);
                Assert.Equal(expected[^1].DiskCapacityBytes, line.DiskAllocatedBytes);
                Assert.Equal(expected[^1].DiskAllocationBytes, line.DiskUsedBytes);
            }
        }
    }

    [Fact]
    public async Task Idle_and_oversized_vms_are_flagged()
    {
        var arranged = await ArrangeAsync();

        var report = await GlobalReportAsync();

        VmUsageLine Line(string name) => report.Vms.Single(l => l.VmUuid == arranged.Vms[name][0].VmUuid && l.TeamId == arranged.Vms[name][^1].TeamId);
        Assert.False(Line("busy").Idle);
        Assert.False(Line("busy").Oversized);
        Assert.NotEqual(arranged.Host, Line("busy").HostId); // migrated
        Assert.True(Line("idle").Idle);
        Assert.True(Line("idle").Oversized);
        Assert.False(Line("small").Idle);
        Assert.True(Line("small").Oversized);
        Assert.Equal(20, Line("small").CpuPeakPercent, 9);
        Assert.True(Line("no-balloon").Oversized); // no used memory reported: judged by CPU alone
        Assert.Null(Line("no-balloon").MemoryPeakUsedKib);
        Assert.False(Line("memory-hungry").Oversized);
        Assert.False(Line("spiky").Idle); // average 1 %, but one minute at 3 %
        Assert.True(Line("spiky").CpuAveragePercent < 2);
        Assert.True(Line("spiky").Oversized);
    }

    [Fact]
    public async Task Team_totals_add_up_their_lines_and_a_moved_vm_counts_for_each_team()
    {
        var arranged = await ArrangeAsync();

        var report = await GlobalReportAsync();

        var x = Assert.Single(report.Teams, t => t.TeamId == arranged.TeamX);
        var lines = report.Vms.Where(l => l.TeamId == arranged.TeamX).ToList();
        Assert.StartsWith("x-", x.TeamName);
        Assert.Equal(7, x.Vms);
        Assert.Equal(lines.Sum(l => l.VcpuHours), x.VcpuHours, 9);
        Assert.Equal(lines.Sum(l => l.MemoryGibHours), x.MemoryGibHours, 9);
        Assert.Equal(lines.Sum(l => l.DiskAllocatedBytes), x.DiskAllocatedBytes);
        var xSamples = arranged.Vms.Values.SelectMany(s => s).Where(s => s.TeamId == arranged.TeamX).ToList();
        Assert.Equal(xSamples.Sum(s => (double)s.CpuTimeNs) / xSamples.Sum(s => s.IntervalSeconds * s.Vcpus * 1e9) * 100, x.CpuAveragePercent, 9);
        Assert.Equal(50, x.CpuPeakPercent, 9);
        Assert.Equal(1, x.IdleVms);
        Assert.Equal(4, x.OversizedVms); // idle, small, no-balloon, spiky
        Assert.Equal(2, Assert.Single(report.Teams, t => t.TeamId == arranged.TeamY).Vms);
        var unowned = Assert.Single(report.Teams, t => t.TeamId is null);
        Assert.Equal(1, unowned.Vms);
        Assert.Null(report.Teams[^1].TeamId); // no team comes last
        var moved = arranged.Vms["moved"];
        Assert.Equal(moved.Where(s => s.TeamId == arranged.TeamY).Sum(s => s.IntervalSeconds * s.Vcpus) / 3600,
            report.Vms.Single(l => l.VmUuid == moved[0].VmUuid && l.TeamId == arranged.TeamY).VcpuHours, 9);
    }

    [Fact]
    public async Task A_period_in_the_past_reads_only_its_buckets()
    {
        var arranged = await ArrangeAsync();

        var report = await History.ReportAsync(new UsageReportQuery(day.AddHours(1), day.AddHours(3), [arranged.TeamY]), CancellationToken.None);

        var line = Assert.Single(report.Vms);
        var samples = arranged.Vms["other-team"].Where(s => s.SampledAt >= day.AddHours(1) && s.SampledAt < day.AddHours(3)).ToList();
        Assert.Equal(samples.Sum(s => s.IntervalSeconds * s.Vcpus) / 3600, line.VcpuHours, 9);
        await Assert.ThrowsAsync<ArgumentException>(() => History.ReportAsync(new UsageReportQuery(day, day, null), CancellationToken.None));
    }

    [Fact]
    public async Task A_team_viewer_gets_only_the_teams_usage()
    {
        var arranged = await ArrangeAsync();
        var viewer = await access.CreateUserAsync("viewer");
        await access.GrantAsync(viewer, PortalRole.Viewer, arranged.TeamX);

        var report = await Reports(viewer).ReportAsync(day, day.AddDays(1), CancellationToken.None);

        Assert.Equal(7, report.Vms.Count);
        Assert.All(report.Vms, l => Assert.Equal(arranged.TeamX, l.TeamId));
        Assert.Equal(arranged.TeamX, Assert.Single(report.Teams).TeamId);
    }

    [Fact]
    public async Task A_global_viewer_also_gets_the_unowned_vms()
    {
        var arranged = await ArrangeAsync();
        var viewer = await access.CreateUserAsync("global-viewer");
        await access.GrantAsync(viewer, PortalRole.Viewer, team: null);

        var report = await Reports(viewer).ReportAsync(day, day.AddDays(1), CancellationToken.None);

        Assert.Equal(10, report.Vms.Count);
        Assert.Contains(report.Vms, l => l.VmUuid == arranged.Vms["unowned"][0].VmUuid && l.TeamId is null);
    }

    [Fact]
    public async Task Help_desk_users_without_grants_and_nobody_are_refused()
    {
        var arranged = await ArrangeAsync();
        var helpDesk = await access.CreateUserAsync("helpdesk");
        await access.GrantAsync(helpDesk, PortalRole.HelpDesk, arranged.TeamX, mayReboot: true);
        var nobody = await access.CreateUserAsync("no-grants");

        foreach (var actor in new[] { helpDesk, nobody, null })
        {
            var refusal = await Assert.ThrowsAsync<AccessDeniedException>(() => Reports(actor).ReportAsync(day, day.AddDays(1), CancellationToken.None));
            Assert.Equal(PortalAction.ViewUsage, refusal.Action);
            Assert.False(await Reports(actor).MayViewReportsAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_vms_chart_needs_usage_permission_on_its_owning_team()
    {
        var arranged = await ArrangeAsync();
        var own = new VmKey(arranged.Host, arranged.Vms["busy"][0].VmUuid);
        var others = new VmKey(arranged.Host, arranged.Vms["other-team"][0].VmUuid);
        await access.OwnAsync(own, arranged.TeamX);
        await access.OwnAsync(others, arranged.TeamY);
        var viewer = await access.CreateUserAsync("viewer");
        await access.GrantAsync(viewer, PortalRole.Operator, arranged.TeamX);
        var helpDesk = await access.CreateUserAsync("helpdesk");
        await access.GrantAsync(helpDesk, PortalRole.HelpDesk, arranged.TeamX);

        var chart = await Reports(viewer).VmSeriesAsync(own, UsagePeriod.Day, CancellationToken.None);

        Assert.NotEmpty(chart.Points);
        Assert.True(await Reports(viewer).MayViewReportsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports(viewer).VmSeriesAsync(others, UsagePeriod.Day, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports(helpDesk).VmSeriesAsync(own, UsagePeriod.Day, CancellationToken.None));
    }

    [Fact]
    public async Task A_hosts_usage_needs_a_global_usage_grant()
    {
        var arranged = await ArrangeAsync();
        var teamViewer = await access.CreateUserAsync("viewer");
        await access.GrantAsync(teamViewer, PortalRole.Viewer, arranged.TeamX);
        var globalViewer = await access.CreateUserAsync("viewer");
        await access.GrantAsync(globalViewer, PortalRole.Viewer, team: null);

        await Reports(globalViewer).HostSeriesAsync(arranged.Host, UsagePeriod.Day, CancellationToken.None);
        await Reports(globalViewer).HostLatestAsync(arranged.Host, CancellationToken.None);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports(teamViewer).HostSeriesAsync(arranged.Host, UsagePeriod.Day, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reports(teamViewer).HostLatestAsync(arranged.Host, CancellationToken.None));
    }

    private UsageReports Reports(Actor? actor) => new(new UsageReportAccess(new FixedActor(actor), access.Policy), History);
}
