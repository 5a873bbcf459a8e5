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
}
