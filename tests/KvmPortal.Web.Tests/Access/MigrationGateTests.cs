using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Access;

/// <summary>The migration's gate on the real policy and PostgreSQL: who may, what is audited, where the ownership goes.</summary>
public sealed class MigrationGateTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private readonly AccessScenario scenario = new(app);

    [Fact]
    public async Task An_administrator_of_the_team_migrates_its_vm_audited_and_the_team_keeps_it_on_the_new_host()
    {
        var (actor, team, vm, target) = await SetUpAsync(PortalRole.Administrator);
        var inner = new RecordingVmMigration();
        var migration = Gated(inner, actor);

        var moved = await migration.MigrateAsync(vm, new MigrationSpec(target, MigrationMode.Live, BandwidthMiBps: 50));

        Assert.Equal(new VmKey(target, vm.Uuid), moved);
        var entry = Assert.Single(scenario.Audit.Entries);
        Assert.Equal(("vm.migrate", true, vm.Uuid), (entry.Action, entry.Succeeded, entry.Target.VmUuid));
        Assert.Contains("\"mode\":\"Live\"", entry.ParametersJson);
        Assert.Contains("\"bandwidthMiBps\":50", entry.ParametersJson);
        var index = app.Services.GetRequiredService<VmOwnershipIndex>();
        Assert.Equal(team, await index.GetTeamAsync(moved));
        Assert.Null(await index.GetTeamAsync(vm));
    }

    [Fact]
    public async Task A_copy_kept_on_the_source_stays_the_teams_too()
    {
        var (actor, team, vm, target) = await SetUpAsync(PortalRole.Administrator);

        var moved = await Gated(new RecordingVmMigration(), actor).MigrateAsync(vm, new MigrationSpec(target, MigrationMode.Offline, KeepOnSource: true));

        var index = app.Services.GetRequiredService<VmOwnershipIndex>();
        Assert.Equal(team, await index.GetTeamAsync(moved));
        Assert.Equal(team, await index.GetTeamAsync(vm));
    }

    [Theory]
    [InlineData(PortalRole.Operator)] // migration picks hosts, which are the administrators'
    [InlineData(PortalRole.HelpDesk)]
    public async Task Operators_and_help_desk_users_may_neither_check_nor_migrate_and_the_refusal_is_audited(PortalRole role)
    {
        var (actor, team, vm, target) = await SetUpAsync(role);
        var inner = new RecordingVmMigration();
        var migration = Gated(inner, actor);

        await Assert.ThrowsAsync<AccessDeniedException>(() => migration.CheckAsync(vm, new MigrationSpec(target, MigrationMode.Live)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => migration.MigrateAsync(vm, new MigrationSpec(target, MigrationMode.Live)));

        Assert.Empty(inner.Calls);
        Assert.Contains(scenario.Audit.Entries, e => e.Action == "vm.migrate" && !e.Succeeded);
        Assert.Equal(team, await app.Services.GetRequiredService<VmOwnershipIndex>().GetTeamAsync(vm));
    }

    private async Task<(Actor Actor, Guid Team, VmKey Vm, Guid Target)> SetUpAsync(PortalRole role)
    {
        var actor = await scenario.CreateUserAsync("migrate");
        var team = await scenario.CreateTeamAsync("migrate");
        var vm = new VmKey(await scenario.CreateHostAsync(), Guid.NewGuid());
        await scenario.OwnAsync(vm, team);
        await scenario.GrantAsync(actor, role, team);
        return (actor, team, vm, await scenario.CreateHostAsync());
    }

    private GatedVmMigration Gated(RecordingVmMigration inner, Actor actor)
    {
        var index = app.Services.GetRequiredService<VmOwnershipIndex>();
        var views = new AccessViewSource(new FixedActor(actor), scenario.Policy, index, app.Services.GetRequiredService<TeamDirectoryReader>());
        return new GatedVmMigration(inner, scenario.Gate(actor), scenario.Targets, index, views,
            app.Services.GetRequiredService<KvmPortal.Hypervisor.Inventory.IInventory>());
    }
}
