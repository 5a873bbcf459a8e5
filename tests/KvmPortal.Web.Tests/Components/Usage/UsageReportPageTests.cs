using Bunit;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Layout;
using KvmPortal.Web.Components.Pages.Usage;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class UsageReportPageTests : BunitHarness
{
    private static readonly Guid Web = Guid.NewGuid(), Db = Guid.NewGuid();
    private readonly InMemoryUsageHistory history = new();

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IUsageReports>(history);

    private static VmUsageLine Line(string name, Guid? team, string? teamName, double vcpuHours, bool idle = false, bool oversized = false) =>
        new(Guid.NewGuid(), name, Guid.NewGuid(), "lab1", team, teamName, vcpuHours, vcpuHours / 2, 20L << 30, 5L << 30,
            idle ? 0.5 : 30, idle ? 1 : 60, 2L << 20, 1L << 20, idle, oversized);

    private void AddLines()
    {
        history.ReportLines.Add(Line("web1", Web, "web", 100, idle: true));
        history.ReportLines.Add(Line("web2", Web, "web", 20, oversized: true));
        history.ReportLines.Add(Line("db1", Db, "db", 50));
        history.ReportLines.Add(Line("stray", null, null, 5));
    }

    [Fact]
    public void A_global_viewer_sees_every_team_with_flags_totals_chart_and_csv_link()
    {
        using var _ = new CultureScope("en");
        AddLines();

        var page = Context.Render<UsageReportPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=usage-vm-name]").Count));
        var query = Assert.Single(history.ReportQueries);
        Assert.Null(query.Teams);
        Assert.Equal(TimeSpan.FromDays(7), query.To - query.From);
        Assert.Single(page.FindAll("td[data-vm=web1] ~ td [data-testid=usage-flag-idle]"));
        Assert.Empty(page.FindAll("td[data-vm=web1] ~ td [data-testid=usage-flag-oversized]"));
        Assert.Single(page.FindAll("td[data-vm=web2] ~ td [data-testid=usage-flag-oversized]"));
        Assert.Empty(page.FindAll("td[data-vm=db1] ~ td [data-testid^=usage-flag-]"));
        Assert.Equal("120.00", page.Find("tr[data-team=web] [data-testid=team-vcpu-hours]").TextContent.Trim());
        Assert.Equal("1", page.Find("tr[data-team=web] [data-testid=team-idle]").TextContent.Trim());
        Assert.Single(page.FindAll("tr[data-team='(no team)']"));
        Assert.NotEmpty(page.FindAll("[data-testid=usage-team-chart] svg"));
        var href = page.Find("[data-testid=usage-csv]").GetAttribute("href");
        Assert.Equal($"usage/report.csv?from={Iso(query.From)}&to={Iso(query.To)}", href);
    }

    [Fact]
    public void The_server_side_scope_decides_which_teams_are_shown()
    {
        AddLines();
        history.Scope = [Web, Db];

        var page = Context.Render<UsageReportPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=usage-vm-name]").Count));
        Assert.Empty(page.FindAll("[data-vm=stray]"));
        Assert.Equal(2, page.FindAll("[data-testid=usage-team-table] tr[data-team]").Count);
    }

    [Fact]
    public void A_user_without_usage_grants_is_refused_and_nothing_is_read()
    {
        using var _ = new CultureScope("en");
        history.Refused = true;

        var page = Context.Render<UsageReportPage>();

        Assert.Equal("You are not allowed to do this.", page.Find("[data-testid=usage-denied]").TextContent.Trim());
        Assert.Empty(history.ReportQueries);
        Assert.Empty(page.FindAll("[data-testid=usage-csv]"));
    }

    [Fact]
    public void The_vm_table_sorts_by_a_column()
    {
        AddLines();
        var page = Context.Render<UsageReportPage>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=usage-vm-name]").Count));
        Assert.Equal(["db1", "stray", "web1", "web2"], Names(page));

        page.Find("[data-testid=usage-sort-vcpu-hours]").Click();
        page.WaitForAssertion(() => Assert.Equal(["stray", "web2", "db1", "web1"], Names(page)));
    }

    [Fact]
    public void An_inverted_custom_range_is_refused_with_a_message_and_no_query()
    {
        using var _ = new CultureScope("en");
        var page = Context.Render<UsageReportPage>();
        page.WaitForAssertion(() => Assert.Single(history.ReportQueries));

        page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<UsageReportPeriod>>().Instance.ValueChanged.InvokeAsync(UsageReportPeriod.Custom));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=usage-report-from]")));
        var pickers = page.FindComponents<MudBlazor.MudDatePicker>();
        page.InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 10)));
        page.InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 1)));
        page.Find("[data-testid=usage-report-apply]").Click();

        page.WaitForAssertion(() => Assert.Equal("The start date must not be after the end date.",
            page.Find("[data-testid=usage-range-problem]").TextContent.Trim()));
        Assert.Single(history.ReportQueries);
    }

    [Fact]
    public void A_valid_custom_range_asks_for_whole_utc_days()
    {
        var page = Context.Render<UsageReportPage>();
        page.WaitForAssertion(() => Assert.Single(history.ReportQueries));

        page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<UsageReportPeriod>>().Instance.ValueChanged.InvokeAsync(UsageReportPeriod.Custom));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=usage-report-from]")));
        var pickers = page.FindComponents<MudBlazor.MudDatePicker>();
        page.InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 1)));
        page.InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 10)));
        page.Find("[data-testid=usage-report-apply]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, history.ReportQueries.Count));
        var query = history.ReportQueries.Last();
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), query.To);
        Assert.Equal("usage/report.csv?from=2026-03-01T00%3A00%3A00Z&to=2026-03-11T00%3A00%3A00Z",
            page.Find("[data-testid=usage-csv]").GetAttribute("href"));
    }

    [Fact]
    public void A_failed_report_is_shown_as_an_error()
    {
        using var _ = new CultureScope("en");
        history.Failure = new InvalidOperationException("database down");

        var page = Context.Render<UsageReportPage>();

        page.WaitForAssertion(() => Assert.Equal("The usage history could not be read; the details are in the server log.",
            page.Find("[data-testid=usage-report-error]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=usage-csv]"));
    }

    [Fact]
    public void The_menu_shows_usage_to_a_team_viewer_but_not_to_help_desk()
    {
        Permissions.View = new AccessView([new RoleGrant(PortalRole.Viewer, Web)], new Dictionary<VmKey, Guid>());
        Assert.Single(Context.Render<NavMenu>().FindAll("[data-testid=nav-usage]"));

        Permissions.View = new AccessView([new RoleGrant(PortalRole.HelpDesk, null)], new Dictionary<VmKey, Guid>());
        Assert.Empty(Context.Render<NavMenu>().FindAll("[data-testid=nav-usage]"));
    }

    private static List<string?> Names(IRenderedComponent<UsageReportPage> page) =>
        page.FindAll("[data-testid=usage-vm-name]").Select(c => c.GetAttribute("data-vm")).ToList();

    private static string Iso(DateTimeOffset at) =>
        Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
