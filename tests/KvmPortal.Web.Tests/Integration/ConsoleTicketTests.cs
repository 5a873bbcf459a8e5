using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Data;
using KvmPortal.Web.Tests.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>Console tickets on the real PostgreSQL: single use, short-lived, bound to their user.</summary>
public sealed class ConsoleTicketTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>, IAsyncLifetime
{
    private static readonly ConsoleTarget Target = new(Guid.NewGuid(), Guid.NewGuid(), ConsoleKind.Vnc, ConsoleMode.ViewOnly);
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly AccessScenario scenario = new(app);
    private Actor alice = null!;

    private ConsoleTickets Tickets => scenario.Tickets(alice, clock);

    public async Task InitializeAsync()
    {
        alice = await scenario.CreateUserAsync("alice");
        await scenario.GrantAsync(alice, PortalRole.HelpDesk, team: null, consoleViewOnly: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_ticket_opens_its_target_once_for_its_user()
    {
        var token = await Tickets.IssueAsync(alice.UserId, Target);

        var first = await Tickets.RedeemAsync(token, alice.UserId);
        var second = await Tickets.RedeemAsync(token, alice.UserId);

        Assert.Equal(Target, first.Target);
        Assert.False(second.Succeeded);
        Assert.Equal(TicketRefusal.AlreadyUsed, second.Refusal);
    }

    [Fact]
    public async Task Tokens_are_long_random_and_not_stored_in_clear()
    {
        var token = await Tickets.IssueAsync(alice.UserId, Target);
        var other = await Tickets.IssueAsync(alice.UserId, Target);

        Assert.NotEqual(token, other);
        Assert.True(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length >= 16);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        Assert.DoesNotContain(await db.ConsoleTickets.Select(t => t.TokenHash).ToListAsync(),
            hash => System.Text.Encoding.ASCII.GetString(hash) == token);
    }

    [Fact]
    public async Task Another_users_ticket_is_refused_and_stays_usable_by_its_owner()
    {
        var token = await Tickets.IssueAsync(alice.UserId, Target);

        var stolen = await Tickets.RedeemAsync(token, "mallory");

        Assert.Equal(TicketRefusal.OtherUser, stolen.Refusal);
        Assert.True((await Tickets.RedeemAsync(token, alice.UserId)).Succeeded);
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        var token = await Tickets.IssueAsync(alice.UserId, Target);

        clock.Advance(ConsoleTickets.Lifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(TicketRefusal.Expired, (await Tickets.RedeemAsync(token, alice.UserId)).Refusal);
    }

    [Fact]
    public async Task An_unknown_ticket_is_refused()
    {
        Assert.Equal(TicketRefusal.Unknown, (await Tickets.RedeemAsync("not-a-ticket", alice.UserId)).Refusal);
    }

    [Fact]
    public async Task Racing_redeemers_get_the_ticket_exactly_once()
    {
        var token = await Tickets.IssueAsync(alice.UserId, Target);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Tickets.RedeemAsync(token, alice.UserId)));

        Assert.Single(results, r => r.Succeeded);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;
        public override DateTimeOffset GetUtcNow() => now;
        public void Advance(TimeSpan by) => now += by;
    }
}
