using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Access;

public sealed class ConsoleSessionAdministrationTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private readonly AccessScenario _scenario = new(app);

    private ConsoleSessions Sessions => app.Services.GetRequiredService<ConsoleSessions>();

    private ConsoleSessionAdministration Registry(Actor actor) =>
        new(_scenario.Gate(actor), Sessions, app.Services.GetRequiredService<ConsoleHistory>(), _scenario.Targets);

    private Task<LiveConsoleSession> OpenSessionAsync(Actor user) => Sessions.StartAsync(user.UserId, user.UserName,
        new ConsoleTarget(Guid.NewGuid(), Guid.NewGuid(), ConsoleKind.Vnc, ConsoleMode.Full), "vm-registry", new RelayCounters(), CancellationToken.None);

    [Fact]
    public async Task An_administrator_sees_the_sessions_and_a_disconnect_is_audited()
    {
        var administrator = await _scenario.CreateUserAsync("admin");
        await _scenario.GrantAsync(administrator, PortalRole.Administrator, team: null);
        var user = await _scenario.CreateUserAsync("user");
        var session = await OpenSessionAsync(user);
        try
        {
            Assert.Contains(await Registry(administrator).OpenAsync(), s => s.Id == session.Id);

            Assert.True(await Registry(administrator).DisconnectAsync(session));

            Assert.True(session.Disconnect.IsCancellationRequested);
            var entry = Assert.Single(_scenario.Audit.Entries, e => e.Action == ConsoleSessionAdministration.DisconnectAction);
            Assert.True(entry.Succeeded);
            Assert.Equal(session.DomainUuid, entry.Target.VmUuid);
            Assert.Contains(user.UserName, entry.ParametersJson);
        }
        finally
        {
            await Sessions.EndAsync(session, "test over");
        }
    }

    [Fact]
    public async Task Anyone_else_is_refused_whatever_their_cookie_says_and_the_refused_disconnect_is_audited()
    {
        var teamAdministrator = await _scenario.CreateUserAsync("teamadmin");
        await _scenario.GrantAsync(teamAdministrator, PortalRole.Administrator, await _scenario.CreateTeamAsync());
        var user = await _scenario.CreateUserAsync("user");
        var session = await OpenSessionAsync(user);
        try
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Registry(teamAdministrator).OpenAsync());
            await Assert.ThrowsAsync<AccessDeniedException>(() => Registry(teamAdministrator).RecentAsync(10));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Registry(teamAdministrator).DisconnectAsync(session));

            Assert.False(session.Disconnect.IsCancellationRequested);
            var entry = Assert.Single(_scenario.Audit.Entries, e => e.Action == ConsoleSessionAdministration.DisconnectAction);
            Assert.False(entry.Succeeded);
        }
        finally
        {
            await Sessions.EndAsync(session, "test over");
        }
    }

    private ConsoleTakeOver TakeOver(Actor actor) => new(_scenario.Gate(actor), Sessions, _scenario.Targets);

    private Task<LiveConsoleSession> OpenSessionAsync(Actor user, ConsoleTarget target) =>
        Sessions.StartAsync(user.UserId, user.UserName, target, "vm-takeover", new RelayCounters(), CancellationToken.None);

    [Fact]
    public async Task A_take_over_ends_other_users_full_sessions_of_that_console_only_says_who_and_is_audited()
    {
        var team = await _scenario.CreateTeamAsync();
        var hostId = await _scenario.CreateHostAsync();
        var vm = new KvmPortal.Hypervisor.Vms.VmKey(hostId, Guid.NewGuid());
        await _scenario.OwnAsync(vm, team);
        var taker = await _scenario.CreateUserAsync("taker");
        await _scenario.GrantAsync(taker, PortalRole.Operator, team);
        var holder = await _scenario.CreateUserAsync("holder");
        var full = new ConsoleTarget(vm.HostId, vm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full);
        var held = await OpenSessionAsync(holder, full);
        var watching = await OpenSessionAsync(holder, full with { Mode = ConsoleMode.ViewOnly });
        var serial = await OpenSessionAsync(holder, full with { Kind = ConsoleKind.Serial });
        var own = await OpenSessionAsync(taker, full);
        try
        {
            Assert.Equal([held.Id], (await TakeOver(taker).HoldersAsync(vm, ConsoleKind.Vnc)).Select(s => s.Id));

            Assert.Equal(1, await TakeOver(taker).TakeOverAsync(vm, ConsoleKind.Vnc));

            Assert.True(held.Disconnect.IsCancellationRequested);
            Assert.Equal($"taken over by {taker.UserName}", held.StoppedBecause);
            Assert.Equal(taker.UserName, Sessions.TakenOverBy(holder.UserId, vm.HostId, vm.Uuid));
            Assert.All([watching, serial, own], s => Assert.False(s.Disconnect.IsCancellationRequested));
            var entry = Assert.Single(_scenario.Audit.Entries, e => e.Action == ConsoleTakeOver.Action);
            Assert.True(entry.Succeeded);
            Assert.Equal(vm.Uuid, entry.Target.VmUuid);
            Assert.Contains(holder.UserName, entry.ParametersJson);

            // Opening the console again clears the note for the one who was taken over.
            await Sessions.EndAsync(held, held.StoppedBecause!);
            var reopened = await OpenSessionAsync(holder, full);
            Assert.Null(Sessions.TakenOverBy(holder.UserId, vm.HostId, vm.Uuid));
            await Sessions.EndAsync(reopened, "test over");
        }
        finally
        {
            foreach (var session in new[] { watching, serial, own })
                await Sessions.EndAsync(session, "test over");
        }
    }

    [Fact]
    public async Task Someone_with_only_a_view_only_console_cannot_take_over_and_the_refusal_is_audited()
    {
        var team = await _scenario.CreateTeamAsync();
        var hostId = await _scenario.CreateHostAsync();
        var vm = new KvmPortal.Hypervisor.Vms.VmKey(hostId, Guid.NewGuid());
        await _scenario.OwnAsync(vm, team);
        var watcher = await _scenario.CreateUserAsync("watcher");
        await _scenario.GrantAsync(watcher, PortalRole.HelpDesk, team, consoleViewOnly: true);
        var holder = await _scenario.CreateUserAsync("holder");
        var held = await OpenSessionAsync(holder, new ConsoleTarget(vm.HostId, vm.Uuid, ConsoleKind.Vnc, ConsoleMode.Full));
        try
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => TakeOver(watcher).TakeOverAsync(vm, ConsoleKind.Vnc));

            Assert.False(held.Disconnect.IsCancellationRequested);
            Assert.Null(held.StoppedBecause);
            var entry = Assert.Single(_scenario.Audit.Entries, e => e.Action == ConsoleTakeOver.Action);
            Assert.False(entry.Succeeded);
        }
        finally
        {
            await Sessions.EndAsync(held, "test over");
        }
    }
}
