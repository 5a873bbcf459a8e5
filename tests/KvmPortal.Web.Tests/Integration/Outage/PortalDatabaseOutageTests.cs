using System.Net;
using System.Security.Claims;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration.Outage;

/// <summary>
/// The app while its PostgreSQL goes away and comes back (the connections cut by a relay): pages fail without harm,
/// sign-in is refused with a clear 503, open sessions stay signed in, and everything works again afterwards.
/// </summary>
public sealed class PortalDatabaseOutageTests : IAsyncLifetime
{
    private readonly OutageAppFixture app = new();

    public Task InitializeAsync() => ((IAsyncLifetime)app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)app).DisposeAsync();

    [Fact]
    public async Task Pages_and_sign_in_say_the_database_is_unavailable_and_work_again_when_it_is_back()
    {
        var browser = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);
        Assert.Contains("data-testid=\"user-table\"", await browser.GetStringAsync("/admin/users"));

        app.Relay.TakeDown();
        var page = await browser.GetAsync("/admin/users");
        var login = await PortalSignIn.PostLoginAsync(PortalSignIn.NewBrowser(app), "admin", KvmPortalAppFixture.AdminPassword);

        // A page loaded afresh gets the error page (in an open circuit the page says so in place: PageErrorBoundaryTests).
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.DoesNotContain("data-testid=\"user-table\"", html);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Contains("nobody can sign in right now", WebUtility.HtmlDecode(await login.Content.ReadAsStringAsync()));

        app.Relay.Restore();
        await EventuallyAsync(async () => (await browser.GetStringAsync("/admin/users")).Contains("data-testid=\"user-table\""));
        var again = await PortalSignIn.PostLoginAsync(PortalSignIn.NewBrowser(app), "admin", KvmPortalAppFixture.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task An_open_session_stays_signed_in_while_its_sign_in_cannot_be_rechecked_and_is_checked_again_after()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<KvmPortalUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await users.FindByNameAsync("admin"))!);
        var stale = new ClaimsPrincipal(new ClaimsIdentity(
            principal.Claims.Where(c => c.Type != "AspNet.Identity.SecurityStamp").Append(new Claim("AspNet.Identity.SecurityStamp", "old")),
            principal.Identity!.AuthenticationType));
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        app.Relay.TakeDown();
        var duringOutage = await provider.IsStillValidAsync(new AuthenticationState(stale), default);
        app.Relay.Restore();
        NpgsqlConnection.ClearAllPools();

        Assert.True(duringOutage);
        Assert.True(await provider.IsStillValidAsync(new AuthenticationState(principal), default));
        Assert.False(await provider.IsStillValidAsync(new AuthenticationState(stale), default));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "the app did not recover within 30 s of the database coming back");
            await Task.Delay(200);
        }
    }

    /// <summary>The app with a <see cref="DatabaseRelay"/> between it and its database.</summary>
    private sealed class OutageAppFixture : KvmPortalAppFixture
    {
        public OutageAppFixture()
        {
            var server = new NpgsqlConnectionStringBuilder(ConnectionString);
            Relay = new DatabaseRelay(server.Host!, server.Port);
        }

        public DatabaseRelay Relay { get; }

        protected override string AppConnectionString =>
            new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 5 }.ConnectionString;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Relay.Dispose();
        }
    }
}
