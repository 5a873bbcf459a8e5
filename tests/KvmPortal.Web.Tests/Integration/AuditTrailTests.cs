using System.Net;
using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Data;
using KvmPortal.Web.Tests.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>What the portal writes to the audit log by itself: sign-ins, sign-outs, console sessions and refusals.</summary>
public sealed class AuditTrailTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string Password = "Plain-User-Passw0rd!";

    [Fact]
    public async Task A_failed_sign_in_is_audited_without_the_password()
    {
        var userName = "audit-fail-" + Guid.NewGuid().ToString("N")[..6];
        var userId = await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        const string wrongPassword = "Wrong-Secret-9876!";

        var response = await PortalSignIn.PostLoginAsync(PortalSignIn.NewBrowser(app), userName, wrongPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with its error
        var row = Assert.Single(await RowsAsync(a => a.ActorName == userName));
        Assert.Equal(AuditActions.SignIn, row.Action);
        Assert.False(row.Succeeded);
        Assert.Equal(userId, row.ActorId);
        Assert.Equal("wrong user name or password", row.Error);
        Assert.DoesNotContain(wrongPassword, JsonSerializer.Serialize(row));
    }

    [Fact]
    public async Task A_sign_in_with_an_unknown_name_is_audited_too()
    {
        var userName = "nobody-" + Guid.NewGuid().ToString("N")[..6];

        await PortalSignIn.PostLoginAsync(PortalSignIn.NewBrowser(app), userName, "Whatever-123!");

        var row = Assert.Single(await RowsAsync(a => a.ActorName == userName));
        Assert.Equal("", row.ActorId);
        Assert.False(row.Succeeded);
    }

    [Fact]
    public async Task Sign_in_and_sign_out_are_audited_as_successes()
    {
        var userName = "audit-ok-" + Guid.NewGuid().ToString("N")[..6];
        await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        var browser = await PortalSignIn.SignedInAsync(app, userName, Password);
        var page = await browser.GetStringAsync("/account/login");

        var logout = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalSignIn.AntiforgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var rows = await RowsAsync(a => a.ActorName == userName);
        Assert.Equal([AuditActions.SignIn, AuditActions.SignOut], rows.OrderBy(r => r.Id).Select(r => r.Action));
        Assert.All(rows, r => Assert.True(r.Succeeded));
        Assert.DoesNotContain(rows, r => JsonSerializer.Serialize(r).Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_whose_entry_cannot_be_written_is_undone()
    {
        var userName = "audit-blocked-" + Guid.NewGuid().ToString("N")[..6];
        await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        // The database refuses this user's audit rows, as it would refuse any write when it is full or read-only.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var block = new NpgsqlCommand(
                $"ALTER TABLE \"AuditLog\" ADD CONSTRAINT \"block_{userName.Replace('-', '_')}\" CHECK (\"ActorName\" <> '{userName}')", connection);
            await block.ExecuteNonQueryAsync();
        }
        var browser = PortalSignIn.NewBrowser(app);

        var response = await PortalSignIn.PostLoginAsync(browser, userName, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("could not be recorded in the audit log", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode); // still signed out
        Assert.Empty(await RowsAsync(a => a.ActorName == userName));
    }

    [Fact]
    public async Task A_failed_sign_in_whose_entry_cannot_be_written_is_still_just_refused()
    {
        var tooLongForTheColumn = new string('x', 300);

        var response = await PortalSignIn.PostLoginAsync(PortalSignIn.NewBrowser(app), tooLongForTheColumn, "Whatever-123!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_console_session_that_ends_is_audited_with_its_duration_and_traffic()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
        var sessions = new ConsoleSessions(app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>(),
            Options.Create(new ConsoleOptions()), clock, app.Services.GetRequiredService<ConsoleAudit>());
        var target = new ConsoleTarget(Guid.NewGuid(), Guid.NewGuid(), ConsoleKind.Vnc, ConsoleMode.ViewOnly);
        var session = await sessions.StartAsync("uid-1", "helpdesk-1", target, "vm-console", new RelayCounters(), CancellationToken.None);
        session.SourceIp = "198.51.100.4";

        clock.Advance(TimeSpan.FromSeconds(95));
        await sessions.EndAsync(session, "closed by the browser");

        var row = Assert.Single(await RowsAsync(a => a.VmUuid == target.DomainUuid));
        Assert.Equal(AuditActions.ConsoleSession, row.Action);
        Assert.Equal("helpdesk-1", row.ActorName);
        Assert.Equal("198.51.100.4", row.SourceIp);
        Assert.Equal("vm-console", row.VmName);
        Assert.Equal(target.HostId, row.HostId);
        Assert.Equal(clock.GetUtcNow(), row.Time);
        Assert.True(row.Succeeded);
        using var parameters = JsonDocument.Parse(row.Parameters!);
        var p = parameters.RootElement;
        Assert.Equal(95, p.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("view-only", p.GetProperty("mode").GetString());
        Assert.Equal("vnc", p.GetProperty("kind").GetString());
        Assert.Equal(0, p.GetProperty("bytesToBrowser").GetInt64());
        Assert.Equal(0, p.GetProperty("bytesToVm").GetInt64());
        Assert.Equal("closed by the browser", p.GetProperty("ended").GetString());
        Assert.Equal(session.StartedAt, p.GetProperty("startedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_console_connection_with_a_bad_ticket_is_audited_as_a_failure()
    {
        var userName = "audit-console-" + Guid.NewGuid().ToString("N")[..6];
        await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        var cookie = await PortalSignIn.AuthCookieAsync(app, userName, Password);

        var status = await OpenConsoleAsync(cookie, "http://localhost", "not-a-ticket");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var row = Assert.Single(await RowsAsync(a => a.ActorName == userName && a.Action == AuditActions.ConsoleOpen));
        Assert.False(row.Succeeded);
        Assert.Equal("ticket refused: Unknown", row.Error);
    }

    [Fact]
    public async Task A_console_connection_from_a_foreign_origin_is_audited_as_a_failure()
    {
        var userName = "audit-origin-" + Guid.NewGuid().ToString("N")[..6];
        await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        var cookie = await PortalSignIn.AuthCookieAsync(app, userName, Password);

        var status = await OpenConsoleAsync(cookie, "https://evil.example", "whatever");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var row = Assert.Single(await RowsAsync(a => a.ActorName == userName && a.Action == AuditActions.ConsoleOpen));
        Assert.Equal("foreign origin", row.Error);
        Assert.Contains("https://evil.example", row.Parameters);
    }

    [Fact]
    public async Task A_console_connection_over_the_users_limit_is_audited_as_a_failure_with_its_target()
    {
        var userName = "audit-limit-" + Guid.NewGuid().ToString("N")[..6];
        var userId = await PortalSignIn.EnsurePlainUserAsync(app, userName, Password);
        var cookie = await PortalSignIn.AuthCookieAsync(app, userName, Password);
        var sessions = app.Services.GetRequiredService<ConsoleSessions>();
        var target = new ConsoleTarget(Guid.NewGuid(), Guid.NewGuid(), ConsoleKind.Vnc, ConsoleMode.Full);
        var taken = Enumerable.Range(0, new ConsoleOptions().MaxSessionsPerUser).Select(_ => sessions.TryTakeSlot(userId)!).ToList();
        try
        {
            // Tickets go through the access gate: the user needs a console permission to get one.
            var actor = new Actor(userId, userName, null);
            var access = new AccessScenario(app);
            await access.GrantAsync(actor, PortalRole.Administrator, team: null);
            var ticket = await access.Tickets(actor).IssueAsync(userId, target);

            var status = await OpenConsoleAsync(cookie, "http://localhost", Uri.EscapeDataString(ticket));

            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            var row = Assert.Single(await RowsAsync(a => a.ActorName == userName && a.Action == AuditActions.ConsoleOpen));
            Assert.False(row.Succeeded);
            Assert.Equal("too many open consoles", row.Error);
            Assert.Equal(target.DomainUuid, row.VmUuid);
            Assert.Equal(target.HostId, row.HostId);
            Assert.Contains("\"full\"", row.Parameters);
        }
        finally
        {
            taken.ForEach(slot => slot.Dispose());
        }
    }

    /// <summary>Sends a WebSocket upgrade to the console proxy with the given auth cookie; the status it gets back.</summary>
    private async Task<HttpStatusCode> OpenConsoleAsync(string authCookie, string origin, string ticket)
    {
        var client = app.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = authCookie;
            request.Headers.Origin = origin;
        };
        try
        {
            using var socket = await client.ConnectAsync(new Uri($"ws://localhost{ConsoleProxyEndpoints.VncPath}?ticket={ticket}"), CancellationToken.None);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("status code", StringComparison.OrdinalIgnoreCase))
        {
            // TestServer's client refuses anything but 101 with "Incomplete handshake, status code: NNN".
            return (HttpStatusCode)int.Parse(e.Message[^3..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private async Task<List<AuditRecord>> RowsAsync(System.Linq.Expressions.Expression<Func<AuditRecord, bool>> filter)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await db.AuditLog.AsNoTracking().Where(filter).ToListAsync();
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
