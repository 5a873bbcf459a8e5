using System.Net;
using System.Text;
using KvmPortal.Web.Access;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>GET /usage/report.csv with the sign-in cookie, over a day of its own.</summary>
public sealed class UsageExportTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string Password = "Usage-Reader-Passw0rd!";
    private readonly DateTimeOffset day = UsageWindow.RandomDay();
    private readonly AccessScenario access = new(app);

    private string Query => $"?from={day:yyyy-MM-dd}T00:00:00Z&to={day.AddDays(1):yyyy-MM-dd}T00:00:00Z";

    private async Task<(Guid Team, Guid Vm)> ArrangeAsync()
    {
        var host = await access.CreateHostAsync();
        var team = await access.CreateTeamAsync("csv");
        var samples = UsageRows.Samples(Guid.NewGuid(), host, team, day, day.AddHours(2), TimeSpan.FromMinutes(1), VmBehaviour.Steady(0.2, null));
        await UsageRows.WriteAsync(access.Contexts, "csv, \"vm\"", samples, day.AddHours(2), day.AddHours(2), rawKeptFrom: day);
        return (team, samples[0].VmUuid);
    }

    [Fact]
    public async Task An_administrator_downloads_the_report_as_utf8_csv()
    {
        var (_, vm) = await ArrangeAsync();
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await admin.GetAsync(UsageExportEndpoints.ExportPath + Query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"usage-{day:yyyyMMdd}-{day.AddDays(1):yyyyMMdd}.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(string.Join(',', UsageCsv.Columns), lines[0]);
        var line = Assert.Single(lines, l => l.Contains(vm.ToString()));
        // Two hours of two vCPUs at 20 %, 4 GiB, 20 GiB disk; no used memory reported: oversized by CPU.
        Assert.StartsWith($"\"csv, \"\"vm\"\"\",{vm},access-", line);
        Assert.EndsWith(",4,8,20,5,20,20,4096,,false,true", line);
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public async Task The_header_is_in_the_readers_language()
    {
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Get, UsageExportEndpoints.ExportPath + Query);
        request.Headers.AcceptLanguage.ParseAdd("zh-Hans");

        var response = await admin.SendAsync(request);

        var header = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n")[0];
        Assert.StartsWith("虚拟机,虚拟机 UUID,主机,团队,vCPU 小时,", header);
        Assert.EndsWith(",空闲,配置过大", header);
    }

    [Theory]
    [InlineData("?from=yesterday")]
    [InlineData("?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")]
    [InlineData("?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task Unreadable_or_impossible_periods_get_400_with_the_reason(string query)
    {
        var admin = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await admin.GetAsync(UsageExportEndpoints.ExportPath + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("from|period", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_team_viewer_gets_the_teams_lines_and_a_user_without_usage_permission_gets_403()
    {
        var (team, vm) = await ArrangeAsync();
        var (_, otherVm) = await ArrangeAsync();
        var viewerId = await PortalSignIn.EnsurePlainUserAsync(app, "usage-viewer-" + team.ToString("N")[..8], Password);
        await access.GrantAsync(new Actor(viewerId, "viewer", null), PortalRole.Viewer, team);
        var helpDeskId = await PortalSignIn.EnsurePlainUserAsync(app, "usage-helpdesk-" + team.ToString("N")[..8], Password);
        await access.GrantAsync(new Actor(helpDeskId, "helpdesk", null), PortalRole.HelpDesk, team);
        var viewer = await PortalSignIn.SignedInAsync(app, "usage-viewer-" + team.ToString("N")[..8], Password);
        var helpDesk = await PortalSignIn.SignedInAsync(app, "usage-helpdesk-" + team.ToString("N")[..8], Password);

        var csv = await viewer.GetStringAsync(UsageExportEndpoints.ExportPath + Query);
        var refused = await helpDesk.GetAsync(UsageExportEndpoints.ExportPath + Query);

        Assert.Contains(vm.ToString(), csv);
        Assert.DoesNotContain(otherVm.ToString(), csv);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(vm.ToString(), await refused.Content.ReadAsStringAsync());
    }
}
