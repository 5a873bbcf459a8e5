using Bunit;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Admin;
using KvmPortal.Web.Components.Pages.Admin;
using KvmPortal.Web.Data;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

/// <summary>The team page's quotas: use against each limit, and setting them, with the fixture's real PostgreSQL and the seeded administrator.</summary>
public sealed class TeamsPageQuotaTests(KvmPortalAppFixture app) : BunitHarness, IClassFixture<KvmPortalAppFixture>
{
    private const ulong GiB = 1UL << 30;

    // Initialized before the harness's constructor calls AddServices.
    private readonly KvmPortalAppFixture fixture = app;
    private readonly FakeStorage storage = new();

    private AccessScenario Scenario => new(fixture);

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(fixture.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>());
        services.AddSingleton<ICurrentActor>(new FixedActor(SeededAdministrator()));
        services.AddKeyedSingleton<IStorageOperations>(ServiceKeys.Ungated, storage);
        services.AddSingleton<QuotaUsageReader>();
        services.AddScoped<TeamAdministration>();
    }

    private Actor SeededAdministrator()
    {
        using var scope = fixture.Services.CreateScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>().FindByNameAsync("admin").GetAwaiter().GetResult()!;
        return new Actor(admin.Id, admin.UserName!, "192.0.2.9");
    }

    /// <summary>A team with vCPU and memory limits, one VM of 2 vCPUs and 1 GiB, and a 5 GiB volume it uses.</summary>
    private async Task<(Guid Team, string Name)> ArrangeTeamAsync()
    {
        var scenario = Scenario;
        var hostId = await scenario.CreateHostAsync();
        var host = Inventory.AddHost("quota-page", id: hostId);
        var vm = Inventory.AddVm(host, "web1", VmState.ShutOff);
        var team = await scenario.CreateTeamAsync("page");
        await scenario.OwnAsync(vm.Key, team);
        storage.Pools.Add(new StoragePoolSummary(hostId, "images", Guid.NewGuid(), "dir", "/p", PoolState.Running, 100 * GiB, 0, 100 * GiB, true, true));
        storage.Volumes.Add(new VolumeDetails("images", "web1.qcow2", "/p/web1.qcow2", "qcow2", 5 * GiB, GiB, null, [new VolumeUser("web1", vm.Uuid, false)]));
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        await db.Teams.Where(t => t.Id == team).ExecuteUpdateAsync(s => s.SetProperty(t => t.MaxVcpus, 4).SetProperty(t => t.MaxMemoryMib, 4096L));
        return (team, await db.Teams.Where(t => t.Id == team).Select(t => t.Name).SingleAsync());
    }

    private async Task<TeamRecord> ReadTeamAsync(Guid team)
    {
        await using var db = await Scenario.Contexts.CreateDbContextAsync();
        return await db.Teams.AsNoTracking().SingleAsync(t => t.Id == team);
    }

    [Fact]
    public async Task Each_team_shows_its_use_against_each_limit()
    {
        var (_, name) = await ArrangeTeamAsync();

        var page = Context.Render<TeamsPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"tr[data-team='{name}'] [data-testid=quota-bars]")));
        var quota = (string kind) => page.Find($"tr[data-team='{name}'] [data-quota={kind}]");
        Assert.Equal(("1", null), (quota("Vms").GetAttribute("data-used"), quota("Vms").GetAttribute("data-limit")));
        Assert.Equal(("2", "4"), (quota("Vcpus").GetAttribute("data-used"), quota("Vcpus").GetAttribute("data-limit")));
        Assert.Equal(($"{GiB}", $"{4 * GiB}"), (quota("Memory").GetAttribute("data-used"), quota("Memory").GetAttribute("data-limit")));
        Assert.Equal($"{5 * GiB}", quota("Disk").GetAttribute("data-used"));
        Assert.Contains("2 of 4", quota("Vcpus").TextContent);
        Assert.Contains("5.0 GiB, no limit", quota("Disk").TextContent);
        Assert.Equal(2, page.FindAll($"tr[data-team='{name}'] [data-testid=quota-bar]").Count);
    }

    [Fact]
    public async Task Quotas_are_set_and_cleared_after_validation_and_the_change_is_audited()
    {
        var (team, name) = await ArrangeTeamAsync();
        var page = Context.Render<TeamsPage>();
        page.WaitForAssertion(() => page.Find($"tr[data-team='{name}'] [data-testid=team-quotas]").Click());
        var field = (string id) => page.Find($"input[data-testid={id}], [data-testid={id}] input");

        field("quota-vcpus").Change("lots");
        page.Find("[data-testid=quota-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("Enter a whole number from 1 to", page.Find("[data-testid=quota-editor]").TextContent));
        Assert.Equal(4, (await ReadTeamAsync(team)).MaxVcpus);
        Assert.Empty(Audit.Entries);

        field("quota-vcpus").Change("8");
        field("quota-memory").Change("");
        field("quota-disk").Change("50");
        field("quota-running-only").Change(true);
        page.Find("[data-testid=quota-save]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=quota-editor]")));
        var saved = await ReadTeamAsync(team);
        Assert.Equal((8, (long?)null, (long?)50, (int?)null, true), (saved.MaxVcpus, saved.MaxMemoryMib, saved.MaxDiskGib, saved.MaxVms, saved.QuotaCountsRunningOnly));
        var entry = Assert.Single(Audit.Entries);
        Assert.Equal(("team.quota", true, name), (entry.Action, entry.Succeeded, entry.Target.Other));
        Assert.Contains("\"limits\":{\"MaxVcpus\":8", entry.ParametersJson);
        Assert.Contains("\"before\":{\"MaxVcpus\":4", entry.ParametersJson);
        page.WaitForAssertion(() => Assert.Equal("8", page.Find($"tr[data-team='{name}'] [data-quota=Vcpus]").GetAttribute("data-limit")));
    }
}
