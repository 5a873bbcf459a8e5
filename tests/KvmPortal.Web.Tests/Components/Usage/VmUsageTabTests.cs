using Bunit;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.DependencyInjection;
using static KvmPortal.Web.Tests.Fakes.InMemoryUsageHistory;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class VmUsageTabTests : BunitHarness
{
    private static readonly Guid Team = Guid.NewGuid();
    private readonly InMemoryUsageHistory history = new();
    private readonly ManualTimeProvider clock = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IUsageReports>(history);
        services.AddSingleton<TimeProvider>(clock);
        services.AddOptions<UsageOptions>();
    }

    private IRenderedComponent<VmDetail> RenderVm(out VmInfo vm)
    {
        var host = Inventory.AddHost("alpha");
        var shown = Inventory.AddVm(host, "web1");
        vm = shown;
        Operations.Details = key => new VmDetails(Inventory.Current.Vms[key], null, null, "qemu", "hvm", "x86_64", "pc", 1UL << 30, false,
            [], [], [], "<domain/>");
        return Context.Render<VmDetail>(p => p.Add(x => x.HostId, shown.HostId).Add(x => x.Uuid, shown.Uuid));
    }

    private static void OpenUsageTab(IRenderedComponent<VmDetail> page) =>
        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Usage")).Click();

    [Fact]
    public void The_tab_is_hidden_from_a_help_desk_user_and_shown_to_a_viewer_of_the_vms_team()
    {
        using var english = new CultureScope("en");
        Permissions.View = new AccessView([new RoleGrant(PortalRole.HelpDesk, null)], new Dictionary<VmKey, Guid>());
        var page = RenderVm(out var vm);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-tab")));
        Assert.DoesNotContain(page.FindAll(".mud-tab"), t => t.TextContent.Contains("Usage"));

        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, Team)], new Dictionary<VmKey, Guid> { [vm.Key] = Team });
        var viewer = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
        viewer.WaitForAssertion(() => Assert.Contains(viewer.FindAll(".mud-tab"), t => t.TextContent.Contains("Usage")));
        Assert.Empty(history.SeriesRequests); // nothing is read before the tab is opened
    }

    [Fact]
    public void The_hour_charts_draw_the_recorded_points()
    {
        using var english = new CultureScope("en");
        var page = RenderVm(out var vm);
        var now = DateTimeOffset.UtcNow;
        history.VmPoints[vm.Uuid] = [Point(now.AddSeconds(-20), 10), Point(now.AddSeconds(-10), 30), Point(now, 20)];

        OpenUsageTab(page);

        page.WaitForAssertion(() => Assert.Equal("6", page.Find("[data-testid=usage-chart-cpu]").GetAttribute("data-points")));
        Assert.Equal((vm.Uuid, UsagePeriod.Hour), Assert.Single(history.SeriesRequests));
        Assert.NotEmpty(page.FindAll("[data-testid=usage-chart-cpu] svg path"));
        Assert.Equal("6", page.Find("[data-testid=usage-chart-memory]").GetAttribute("data-points"));
        Assert.Contains("KiB/s", page.Find("[data-testid=usage-chart-disk]").TextContent);
        Assert.Equal("6", page.Find("[data-testid=usage-chart-network]").GetAttribute("data-points"));
        Assert.Empty(page.FindAll("[data-testid=usage-empty]"));
    }

    [Fact]
    public void Memory_used_is_drawn_only_where_the_guest_reported_it()
    {
        var page = RenderVm(out var vm);
        var now = DateTimeOffset.UtcNow;
        history.VmPoints[vm.Uuid] = [Point(now.AddSeconds(-10), 10, usedKib: null), Point(now, 20)];

        OpenUsageTab(page);

        // Two allocated points and one used point: a missing report is a gap, not a zero.
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=usage-chart-memory]").GetAttribute("data-points")));
    }

    [Fact]
    public void Without_points_the_tab_says_nothing_was_recorded_yet()
    {
        using var english = new CultureScope("en");
        var page = RenderVm(out _);

        OpenUsageTab(page);

        page.WaitForAssertion(() => Assert.Equal("No usage recorded yet.", page.Find("[data-testid=usage-empty]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=usage-chart-cpu]"));
    }

    [Fact]
    public void Choosing_a_period_reads_that_period()
    {
        using var english = new CultureScope("en");
        var page = RenderVm(out var vm);
        OpenUsageTab(page);
        page.WaitForAssertion(() => Assert.Single(history.SeriesRequests));

        page.Find("[data-testid=usage-period-week]").Click();

        page.WaitForAssertion(() => Assert.Equal((vm.Uuid, UsagePeriod.Week), history.SeriesRequests.Last()));
    }

    [Fact]
    public void The_hour_view_reads_again_every_record_interval()
    {
        using var english = new CultureScope("en");
        var page = RenderVm(out var vm);
        OpenUsageTab(page);
        page.WaitForAssertion(() => Assert.Equal("No usage recorded yet.", page.Find("[data-testid=usage-empty]").TextContent.Trim()));

        // The recorder writes a sample; the next tick shows it without any click.
        history.VmPoints[vm.Uuid] = [Point(DateTimeOffset.UtcNow, 40)];
        clock.FireTimers();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=usage-chart-cpu]").GetAttribute("data-points")));
        Assert.All(history.SeriesRequests, r => Assert.Equal((vm.Uuid, UsagePeriod.Hour), r));
    }

    [Fact]
    public void A_failed_read_is_reported_in_the_tab()
    {
        using var english = new CultureScope("en");
        history.Failure = new InvalidOperationException("database down");
        var page = RenderVm(out _);

        OpenUsageTab(page);

        page.WaitForAssertion(() => Assert.Equal(
            "The usage history could not be read; the details are in the server log.", page.Find("[data-testid=usage-error]").TextContent.Trim()));
    }

    [Fact]
    public void A_read_refused_on_the_server_says_so()
    {
        using var english = new CultureScope("en");
        history.Refused = true; // e.g. the grant was revoked after the page opened
        var page = RenderVm(out _);

        OpenUsageTab(page);

        page.WaitForAssertion(() => Assert.Equal("You are not allowed to do this.", page.Find("[data-testid=usage-error]").TextContent.Trim()));
        Assert.Empty(history.SeriesRequests);
    }

    [Fact]
    public void Leaving_the_tab_stops_the_refresh()
    {
        using var english = new CultureScope("en");
        var page = RenderVm(out _);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-tab")));
        var others = clock.ActiveTimers; // MudBlazor's own
        OpenUsageTab(page);
        page.WaitForAssertion(() => Assert.Equal(others + 1, clock.ActiveTimers));

        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Overview")).Click();

        page.WaitForAssertion(() => Assert.Equal(others, clock.ActiveTimers));
    }
}
