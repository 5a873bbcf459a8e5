using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Tests.Integration.Usage;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>/api/v1/usage/report and /api/v1/vms/{hostId}/{uuid}/usage with bearer tokens: the same scoping as the pages.</summary>
[Collection(ApiCollection.Name)]
public sealed class UsageApiTests(ApiAppFixture app)
{
    private readonly DateTimeOffset day = UsageWindow.RandomDay();

    private string Period => $"from={day:yyyy-MM-dd}T00:00:00Z&to={day.AddDays(1):yyyy-MM-dd}T00:00:00Z";

    /// <summary>Two hours of a VM of a new team on the given day, rolled up; returns the team and the VM.</summary>
    private async Task<(Guid Team, Guid Vm)> ReportDataAsync()
    {
        var access = app.Access;
        var host = await access.CreateHostAsync();
        var team = await access.CreateTeamAsync("api");
        var samples = UsageRows.Samples(Guid.NewGuid(), host, team, day, day.AddHours(2), TimeSpan.FromMinutes(1), VmBehaviour.Steady(0.5, 0.5));
        await UsageRows.WriteAsync(access.Contexts, "api-vm", samples, day.AddHours(3), day.AddHours(3), rawKeptFrom: day.AddDays(1));
        return (team, samples[0].VmUuid);
    }

    private async Task<HttpClient> ClientWithAsync(PortalRole role, Guid? team)
    {
        var user = await app.Access.CreateUserAsync(role.ToString());
        await app.Access.GrantAsync(user, role, team);
        return app.ApiClient((await app.CreateTokenAsync(user.UserId)).Token);
    }

    [Fact]
    public async Task The_report_lists_the_vms_with_their_figures()
    {
        var (team, vm) = await ReportDataAsync();
        var admin = await app.AdminClientAsync();

        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/usage/report?{Period}");

        var line = Assert.Single(report.GetProperty("vms").EnumerateArray(), l => l.GetProperty("vmUuid").GetGuid() == vm);
        Assert.Equal("api-vm", line.GetProperty("vmName").GetString());
        Assert.Equal(team, line.GetProperty("teamId").GetGuid());
        Assert.Equal(4, line.GetProperty("vcpuHours").GetDouble(), 9);
        Assert.Equal(50, line.GetProperty("cpuAveragePercent").GetDouble(), 9);
        Assert.Contains(report.GetProperty("teams").EnumerateArray(), t => t.GetProperty("teamId").ValueKind == JsonValueKind.String && t.GetProperty("teamId").GetGuid() == team);
    }

    [Fact]
    public async Task A_team_viewer_sees_only_its_team_and_help_desk_and_users_without_grants_get_403()
    {
        var (team, vm) = await ReportDataAsync();
        var (_, otherVm) = await ReportDataAsync();
        var viewer = await ClientWithAsync(PortalRole.Viewer, team);
        var helpDesk = await ClientWithAsync(PortalRole.HelpDesk, team);
        var nobody = app.ApiClient((await app.CreateTokenAsync((await app.Access.CreateUserAsync("no-grants")).UserId)).Token);

        var report = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/usage/report?{Period}");

        var vms = report.GetProperty("vms").EnumerateArray().Select(l => l.GetProperty("vmUuid").GetGuid()).ToList();
        Assert.Contains(vm, vms);
        Assert.DoesNotContain(otherVm, vms);
        foreach (var refused in new[] { helpDesk, nobody })
        {
            var problem = await ApiAssert.ProblemAsync(await refused.GetAsync($"/api/v1/usage/report?{Period}"), HttpStatusCode.Forbidden);
            Assert.Equal(nameof(PortalAction.ViewUsage), problem.GetProperty("action").GetString());
        }
    }

    [Theory]
    [InlineData("from=last-week")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")]
    public async Task An_unreadable_period_is_a_400(string query)
    {
        var admin = await app.AdminClientAsync();

        var problem = await ApiAssert.ProblemAsync(await admin.GetAsync($"/api/v1/usage/report?{query}"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("period", out _));
    }

    [Fact]
    public async Task A_vms_chart_is_served_to_those_who_may_see_its_usage()
    {
        var access = app.Access;
        var hostId = await access.CreateHostAsync();
        var host = app.Inventory.AddHost("usage-" + hostId.ToString("N")[..6], id: hostId);
        var vm = app.Inventory.AddVm(host, "charted");
        var team = await access.CreateTeamAsync();
        await access.OwnAsync(vm.Key, team);
        var now = DateTimeOffset.UtcNow;
        var samples = UsageRows.Samples(vm.Uuid, host.Id, team, now.AddMinutes(-30), now, TimeSpan.FromSeconds(10), VmBehaviour.Steady(0.4, 0.5));
        await UsageRows.WriteAsync(access.Contexts, "charted", samples, now.AddHours(-1), now.AddHours(-1), rawKeptFrom: now.AddHours(-1));
        var operatorClient = await ClientWithAsync(PortalRole.Operator, team);
        var otherTeamViewer = await ClientWithAsync(PortalRole.Viewer, await access.CreateTeamAsync());
        var path = $"/api/v1/vms/{host.Id}/{vm.Uuid}/usage";

        var chart = await operatorClient.GetFromJsonAsync<JsonElement>(path + "?period=hour");

        Assert.Equal("Hour", chart.GetProperty("period").GetString());
        var points = chart.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(samples.Count(s => s.SampledAt > DateTimeOffset.UtcNow.AddHours(-1)), points.Count);
        Assert.All(points, p => Assert.Equal(40, p.GetProperty("cpuPercent").GetDouble(), 6));
        Assert.NotEmpty((await operatorClient.GetFromJsonAsync<JsonElement>(path)).GetProperty("points").EnumerateArray());
        await ApiAssert.ProblemAsync(await operatorClient.GetAsync(path + "?period=year"), HttpStatusCode.BadRequest);
        await ApiAssert.ProblemAsync(await otherTeamViewer.GetAsync(path + "?period=day"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await operatorClient.GetAsync($"/api/v1/vms/{host.Id}/{Guid.NewGuid()}/usage"), HttpStatusCode.NotFound);
    }
}
