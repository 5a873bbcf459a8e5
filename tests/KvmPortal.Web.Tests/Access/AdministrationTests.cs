using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Ownership;
using KvmPortal.Web.Access;
using KvmPortal.Web.Admin;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Tests.Access;

/// <summary>User, team and ownership administration on the real PostgreSQL, through the gate.</summary>
public sealed class AdministrationTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private readonly AccessScenario scenario = new(app);

    private IStringLocalizer<Strings> Text => app.Services.GetRequiredService<IStringLocalizer<Strings>>();

    private UserAdministration Users(Actor actor) =>
        new(scenario.Contexts, app.Services.GetRequiredService<IServiceScopeFactory>(), scenario.Gate(actor), new FixedAccessViewSource(),
            app.Services.GetRequiredService<AdministratorRoleMirror>(), Text);

    private TeamAdministration Teams(Actor actor) =>
        new(scenario.Contexts, scenario.Gate(actor), TimeProvider.System, Text, app.Services.GetRequiredService<KvmPortal.Web.Quotas.QuotaUsageReader>());

    private async Task<Actor> AdministratorAsync()
    {
        var admin = await scenario.CreateUserAsync("admin");
        await scenario.GrantAsync(admin, PortalRole.Administrator, null);
        return admin;
    }

    [Fact]
    public async Task The_first_administrator_holds_a_global_administrator_grant_from_the_start()
    {
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");

        Assert.Contains(await db.RoleGrants.Where(g => g.UserId == admin.Id).ToListAsync(),
            g => g.Role == PortalRole.Administrator && g.TeamId == null);
    }

    [Fact]
    public async Task Only_global_administrators_manage_users_and_teams_and_refusals_are_audited()
    {
        var operatorUser = await scenario.CreateUserAsync("operator");
        await scenario.GrantAsync(operatorUser, PortalRole.Operator, null);
        var teamAdmin = await scenario.CreateUserAsync("teamadmin");
        await scenario.GrantAsync(teamAdmin, PortalRole.Administrator, await scenario.CreateTeamAsync());

        await Assert.ThrowsAsync<AccessDeniedException>(() => Users(operatorUser).ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Users(operatorUser).CreateAsync("x-" + Guid.NewGuid().ToString("N"), "Passw0rd!long"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Teams(teamAdmin).CreateAsync("t-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(["user.create", "team.create"], scenario.Audit.Entries.Where(e => !e.Succeeded).Select(e => e.Action));
    }

    [Fact]
    public async Task Team_names_are_unique_and_required()
    {
        var teams = Teams(await AdministratorAsync());
        var name = "team-" + Guid.NewGuid().ToString("N")[..8];

        Assert.True((await teams.CreateAsync(name)).Succeeded);
        Assert.Equal(Text["TeamNameTaken", name], (await teams.CreateAsync($"  {name} ")).Error);
        Assert.Equal(Text["TeamNameRequired"], (await teams.CreateAsync("  ")).Error);
        var other = "team-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await teams.CreateAsync(other)).Succeeded);
        var otherId = (await teams.ListAsync()).Single(t => t.Name == other).Id;
        Assert.Equal(Text["TeamNameTaken", name], (await teams.RenameAsync(otherId, name)).Error);
        Assert.True((await teams.RenameAsync(otherId, other + "-renamed")).Succeeded);
        Assert.Contains(scenario.Audit.Entries, e => e.Action == "team.create" && !e.Succeeded && e.Error == Text["TeamNameTaken", name]);
    }

    [Fact]
    public async Task Deleting_a_team_removes_its_grants_and_vm_ownership()
    {
        var teams = Teams(await AdministratorAsync());
        var team = await scenario.CreateTeamAsync();
        var member = await scenario.CreateUserAsync("member");
        await scenario.GrantAsync(member, PortalRole.Viewer, team);
        var vm = new VmKey(await scenario.CreateHostAsync(), Guid.NewGuid());
        await scenario.OwnAsync(vm, team);

        Assert.True((await teams.DeleteAsync(team)).Succeeded);

        Assert.Empty(await scenario.Policy.GetGrantsAsync(member.UserId));
        Assert.Null(await app.Services.GetRequiredService<VmOwnershipIndex>().GetTeamAsync(vm));
        Assert.Equal(Text["TeamNotFound"], (await teams.DeleteAsync(team)).Error);
    }

    [Fact]
    public async Task Users_are_created_with_identitys_password_rules_granted_roles_and_locked_out()
    {
        var users = Users(await AdministratorAsync());
        var name = "alice-" + Guid.NewGuid().ToString("N")[..8];

        Assert.False((await users.CreateAsync(name, "short")).Succeeded);
        Assert.True((await users.CreateAsync(name, "Corr3ct-Horse-Battery")).Succeeded);
        var alice = (await users.ListAsync()).Single(u => u.UserName == name);
        var team = await scenario.CreateTeamAsync();
        Assert.True((await users.AddGrantAsync(alice.Id, new GrantRequest(PortalRole.HelpDesk, team, ConsoleViewOnly: true, MayReboot: true))).Succeeded);
        Assert.Equal(Text["GrantExists"], (await users.AddGrantAsync(alice.Id, new GrantRequest(PortalRole.HelpDesk, team))).Error);
        Assert.True((await users.AddGrantAsync(alice.Id, new GrantRequest(PortalRole.Viewer, null, ConsoleViewOnly: true))).Succeeded);
        Assert.True((await users.SetLockedOutAsync(alice.Id, true)).Succeeded);

        alice = (await users.ListAsync()).Single(u => u.UserName == name);
        Assert.True(alice.LockedOut);
        Assert.Contains(alice.Grants, g => g is { Role: PortalRole.HelpDesk, ConsoleViewOnly: true, MayReboot: true } && g.TeamId == team);
        // The help-desk flags mean nothing for other roles and are not stored for them.
        Assert.Contains(alice.Grants, g => g is { Role: PortalRole.Viewer, TeamId: null, ConsoleViewOnly: false });

        Assert.True((await users.DeleteAsync(alice.Id)).Succeeded);
        Assert.Empty(await scenario.Policy.GetGrantsAsync(alice.Id));
    }

    [Fact]
    public async Task The_last_global_administrator_cannot_lose_the_role_be_locked_out_or_deleted()
    {
        var admin = await AdministratorAsync();
        var users = Users(admin);
        var adminGrant = (await users.ListAsync()).Single(u => u.Id == admin.UserId).Grants.Single();
        // Make this administrator the only one (the database is this test class's own).
        await using (var db = await scenario.Contexts.CreateDbContextAsync())
            await db.RoleGrants.Where(g => g.Role == PortalRole.Administrator && g.TeamId == null && g.UserId != admin.UserId).ExecuteDeleteAsync();
        try
        {
            Assert.Equal(Text["UserLastAdministrator"], (await users.RemoveGrantAsync(admin.UserId, adminGrant.Id)).Error);
            Assert.Equal(Text["UserLastAdministrator"], (await users.SetLockedOutAsync(admin.UserId, true)).Error);
            Assert.Equal(Text["UserLastAdministrator"], (await users.DeleteAsync(admin.UserId)).Error);
        }
        finally
        {
            // Other tests of this class share the database and its first administrator.
            await using var db = await scenario.Contexts.CreateDbContextAsync();
            var first = await db.Users.SingleAsync(u => u.UserName == "admin");
            if (!await db.RoleGrants.AnyAsync(g => g.UserId == first.Id && g.Role == PortalRole.Administrator && g.TeamId == null))
                await scenario.GrantAsync(new Actor(first.Id, "admin", null), PortalRole.Administrator, null);
        }
    }

    [Fact]
    public async Task A_vm_whose_host_metadata_names_a_team_is_indexed_when_the_inventory_shows_it()
    {
        var team = await scenario.CreateTeamAsync();
        var hostId = await scenario.CreateHostAsync();
        var host = app.Inventory.AddHost("indexer-" + hostId.ToString("N")[..8], id: hostId);
        var vm = new VmInfo(host.Id, Guid.NewGuid(), "kvmportal-test-tagged", VmState.Running, 1, 1UL << 30, null, null, true);
        app.OwnerTags.Tags[vm.Key] = new VmOwnerTag(team, "whatever it was called");

        app.Inventory.Push(new VmChanged(vm));

        var index = app.Services.GetRequiredService<VmOwnershipIndex>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await index.GetTeamAsync(vm.Key) is null)
            await Task.Delay(50, timeout.Token);
        Assert.Equal(team, await index.GetTeamAsync(vm.Key));
    }

    [Fact]
    public async Task Setting_an_owner_writes_the_host_metadata_and_the_index_and_needs_an_administrator()
    {
        var team = await scenario.CreateTeamAsync("web");
        var vm = new VmKey(await scenario.CreateHostAsync(), Guid.NewGuid());
        var operatorUser = await scenario.CreateUserAsync("operator");
        await scenario.GrantAsync(operatorUser, PortalRole.Operator, null);
        VmOwnerAssignment Assignment(Actor actor) =>
            new(scenario.Gate(actor), app.Services.GetRequiredService<VmOwnership>(), scenario.Targets, new FixedAccessViewSource());

        await Assert.ThrowsAsync<AccessDeniedException>(() => Assignment(operatorUser).SetAsync(vm, team));
        Assert.False(app.OwnerTags.Tags.ContainsKey(vm));

        await Assignment(await AdministratorAsync()).SetAsync(vm, team);

        Assert.Equal(team, app.OwnerTags.Tags[vm].TeamId);
        Assert.StartsWith("web-", app.OwnerTags.Tags[vm].TeamName);
        Assert.Equal(team, await app.Services.GetRequiredService<VmOwnershipIndex>().GetTeamAsync(vm));
    }

    [Fact]
    public async Task A_global_administrator_grant_also_gives_and_takes_identitys_administrator_role()
    {
        var users = Users(await AdministratorAsync());
        var bob = await scenario.CreateUserAsync("bob");

        Assert.True((await users.AddGrantAsync(bob.UserId, new GrantRequest(PortalRole.Administrator, null))).Succeeded);
        Assert.True(await IsInAdministratorRoleAsync(bob));
        var stampAsAdministrator = await SecurityStampAsync(bob);
        var grant = (await users.ListAsync()).Single(u => u.Id == bob.UserId).Grants.Single();
        Assert.True((await users.RemoveGrantAsync(bob.UserId, grant.Id)).Succeeded);
        Assert.False(await IsInAdministratorRoleAsync(bob));
        // A new stamp: cookies and circuits from the administrator days are revalidated (and dropped).
        Assert.NotEqual(stampAsAdministrator, await SecurityStampAsync(bob));
    }

    [Fact]
    public async Task Removing_a_team_grant_leaves_the_security_stamp_alone()
    {
        var users = Users(await AdministratorAsync());
        var bob = await scenario.CreateUserAsync("bob");
        var team = await scenario.CreateTeamAsync();
        Assert.True((await users.AddGrantAsync(bob.UserId, new GrantRequest(PortalRole.Administrator, team))).Succeeded);
        var stamp = await SecurityStampAsync(bob);

        var grant = (await users.ListAsync()).Single(u => u.Id == bob.UserId).Grants.Single();
        Assert.True((await users.RemoveGrantAsync(bob.UserId, grant.Id)).Succeeded);

        Assert.Equal(stamp, await SecurityStampAsync(bob));
        Assert.False(await IsInAdministratorRoleAsync(bob));
    }

    private async Task<string?> SecurityStampAsync(Actor actor)
    {
        await using var db = await scenario.Contexts.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.SecurityStamp).SingleAsync();
    }

    private async Task<bool> IsInAdministratorRoleAsync(Actor actor)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<KvmPortal.Web.Data.KvmPortalUser>>();
        return await manager.IsInRoleAsync((await manager.FindByIdAsync(actor.UserId))!, "Administrator");
    }
}
