using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Data;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Tests.Integration;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Access;

/// <summary>
/// Users, teams, grants and VM ownership on the app fixture's real PostgreSQL, and the access services built for one
/// actor (a fixed current actor, a recording audit log), as a circuit or request would get them.
/// </summary>
public sealed class AccessScenario(KvmPortalAppFixture app)
{
    public RecordingAuditLog Audit { get; } = new();

    public IDbContextFactory<KvmPortalDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>();

    public AccessPolicy Policy => app.Services.GetRequiredService<AccessPolicy>();

    public async Task<Actor> CreateUserAsync(string prefix = "user")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var user = new KvmPortalUser { UserName = $"{prefix}-{Guid.NewGuid():N}" };
        var result = await users.CreateAsync(user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return new Actor(user.Id, user.UserName, "192.0.2.7");
    }

    public async Task<Guid> CreateTeamAsync(string prefix = "team")
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var team = new TeamRecord { Id = Guid.NewGuid(), Name = $"{prefix}-{Guid.NewGuid():N}", CreatedAt = DateTimeOffset.UtcNow };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team.Id;
    }

    public async Task GrantAsync(Actor actor, PortalRole role, Guid? team, bool consoleViewOnly = false, bool mayReboot = false)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        db.RoleGrants.Add(new RoleGrantRecord
        {
            Id = Guid.NewGuid(), UserId = actor.UserId, Role = role, TeamId = team,
            ConsoleViewOnly = consoleViewOnly, MayReboot = mayReboot,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A host row (ownership rows reference hosts) for VMs of this scenario.</summary>
    public async Task<Guid> CreateHostAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var id = Guid.NewGuid();
        db.Hosts.Add(new HostRecord { Id = id, Name = "access-" + id.ToString("N")[..12], Uri = $"test:///default?{id:N}", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return id;
    }

    public Task OwnAsync(VmKey vm, Guid team) => app.Services.GetRequiredService<VmOwnershipIndex>().SetAsync(vm, team);

    public OperationGate Gate(Actor? actor) =>
        new(new FixedActor(actor), Policy, Audit, TimeProvider.System);

    public AuditTargets Targets => app.Services.GetRequiredService<AuditTargets>();

    public ConsoleTickets Tickets(Actor? actor, TimeProvider? clock = null) =>
        new(Contexts, clock ?? TimeProvider.System, Gate(actor), app.Services.GetRequiredService<ConsoleAccess>(), Targets);
}
