using System.Net;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using KvmPortal.Web.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration.Oidc;

/// <summary>Real authorization code exchanges between the portal and the in-process test identity provider.</summary>
public sealed class OidcSignInTests(OidcPortalFixture fixture) : IClassFixture<OidcPortalFixture>
{
    private TestOpenIdProvider Provider => fixture.Provider;

    [Fact]
    public async Task The_first_sign_in_creates_the_user_with_its_external_login_and_the_grants_its_groups_map_to()
    {
        var user = NewUser("web-ops", "db-leads", "some-other-group");
        Provider.User = user;
        var browser = new OidcBrowser(fixture);

        var done = await browser.SignInAsync("/hosts");

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/hosts", OidcBrowser.PathOf(done));
        Assert.Equal(HttpStatusCode.OK, (await browser.Portal.GetAsync("/account")).StatusCode);
        // The request carried PKCE (S256), a nonce and the configured scopes; the code came back in the query.
        var request = Provider.LastAuthorizationRequest;
        Assert.Equal("S256", request["code_challenge_method"]);
        Assert.Equal("query", request.GetValueOrDefault("response_mode", "query")); // the default for a code, not form_post
        Assert.Equal(["openid", "profile", "groups"], request["scope"].Split(' '));
        Assert.NotEmpty(request["nonce"]);
        Assert.False(request.ContainsKey("client_secret"));

        var id = await UserIdAsync(user.UserName);
        Assert.NotNull(id);
        Assert.Equal([(OidcEndpoints.Scheme, user.Subject)], await LoginsAsync(id));
        Assert.Equal(
            [(PortalRole.Operator, fixture.WebTeam, GrantSource.IdentityProvider), (PortalRole.Viewer, fixture.DatabaseTeam, GrantSource.IdentityProvider)],
            (await GrantsAsync(id)).Select(g => (g.Role, g.TeamId, g.Source)).Order());

        var audit = await AuditAsync(id);
        var signIn = Assert.Single(audit, a => a.Action == AuditActions.SignIn);
        Assert.True(signIn.Succeeded);
        Assert.Contains(OidcPortalFixture.DisplayName, signIn.Parameters);
        Assert.Contains(audit, a => a.Action == AuditActions.IdentityProviderGrantSync && a.Succeeded);
        Assert.DoesNotContain(audit, a => (a.Parameters ?? "").Contains(TestOpenIdProvider.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_login_pages_policy_lets_its_form_go_on_to_the_provider_and_nowhere_else()
    {
        var response = await new OidcBrowser(fixture).Portal.GetAsync("/account/login");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"form-action 'self' {Provider.Issuer};", policy);
    }

    [Fact]
    public async Task A_later_sign_in_replaces_the_grants_from_the_provider_and_keeps_those_given_by_hand()
    {
        var user = NewUser("web-ops");
        Provider.User = user;
        await SignInExpectingSuccessAsync();
        var id = (await UserIdAsync(user.UserName))!;
        await GrantByHandAsync(id, PortalRole.Viewer, fixture.DatabaseTeam);
        await GrantByHandAsync(id, PortalRole.Operator, fixture.WebTeam); // the same as the mapped one: both stay side by side

        Provider.User = user with { Groups = ["portal-admins", "web-desk"] };
        await SignInExpectingSuccessAsync();

        Assert.Equal(
            [
                (PortalRole.Administrator, (Guid?)null, false, false, GrantSource.IdentityProvider),
                (PortalRole.Operator, fixture.WebTeam, false, false, GrantSource.Manual),
                (PortalRole.HelpDesk, fixture.WebTeam, true, true, GrantSource.IdentityProvider),
                (PortalRole.Viewer, fixture.DatabaseTeam, false, false, GrantSource.Manual),
            ],
            (await GrantsAsync(id)).Select(g => (g.Role, g.TeamId, g.ConsoleViewOnly, g.MayReboot, g.Source))
                .OrderBy(g => g.Role).ThenBy(g => g.Source));
        Assert.True(await InAdministratorRoleAsync(id));
        var stampAsAdministrator = await SecurityStampAsync(id);

        Provider.User = user with { Groups = [] };
        await SignInExpectingSuccessAsync();

        Assert.Equal(
            [(PortalRole.Operator, fixture.WebTeam, GrantSource.Manual), (PortalRole.Viewer, fixture.DatabaseTeam, GrantSource.Manual)],
            (await GrantsAsync(id)).Select(g => (g.Role, g.TeamId, g.Source)).Order());
        Assert.False(await InAdministratorRoleAsync(id));
        Assert.NotEqual(stampAsAdministrator, await SecurityStampAsync(id));
        Assert.Single(await LoginsAsync(id));
        Assert.Equal(3, (await AuditAsync(id)).Count(a => a is { Action: AuditActions.SignIn, Succeeded: true }));
    }

    [Theory]
    [InlineData(IdTokenFlaw.WrongIssuer)]
    [InlineData(IdTokenFlaw.WrongSignature)]
    [InlineData(IdTokenFlaw.WrongNonce)]
    public async Task An_id_token_that_does_not_verify_is_refused_with_a_clear_message_and_nothing_is_created(IdTokenFlaw flaw)
    {
        var user = NewUser("portal-admins");
        Provider.User = user;
        Provider.Flaw = flaw;
        var issuedBefore = Provider.TokensIssued;
        try
        {
            await AssertRefusedAsync(new OidcBrowser(fixture), user);
        }
        finally
        {
            Provider.Flaw = IdTokenFlaw.None;
        }
        // The provider did hand out the token: the portal's own checks refused it.
        Assert.Equal(issuedBefore + 1, Provider.TokensIssued);
    }

    [Fact]
    public async Task An_answer_with_a_forged_state_is_refused()
    {
        var user = NewUser("portal-admins");
        Provider.User = user;
        var browser = new OidcBrowser(fixture)
        {
            Intercept = uri => new Uri(System.Text.RegularExpressions.Regex.Replace(uri.AbsoluteUri, "state=[^&]+", "state=forged")),
        };
        var issuedBefore = Provider.TokensIssued;

        await AssertRefusedAsync(browser, user);

        Assert.Equal(issuedBefore, Provider.TokensIssued); // refused before the code was even exchanged
    }

    [Fact]
    public async Task A_user_whose_groups_map_to_nothing_gets_an_account_without_grants_and_sees_nothing()
    {
        var user = NewUser("some-other-group", "lost");
        Provider.User = user;
        var browser = new OidcBrowser(fixture);

        await SignInExpectingSuccessAsync(browser);

        var id = (await UserIdAsync(user.UserName))!;
        Assert.Empty(await GrantsAsync(id));
        var actor = new Actor(id, user.UserName, null);
        var policy = fixture.App.Services.GetRequiredService<IAccessPolicy>();
        var visible = await policy.GetVmVisibilityAsync(actor);
        Assert.False(visible(new VmKey(Guid.NewGuid(), Guid.NewGuid())));
        Assert.False(await policy.IsAllowedAsync(actor, PortalAction.ViewHosts, AccessTarget.Global));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Portal.GetAsync(AuditExportEndpoints.ExportPath)).StatusCode);
        // The mapping to a team that does not exist is written down for the administrator.
        var sync = Assert.Single(await AuditAsync(id), a => a.Action == AuditActions.IdentityProviderGrantSync);
        Assert.Contains(OidcPortalFixture.MissingTeamName, sync.Parameters);
    }

    [Fact]
    public async Task A_provider_user_named_like_a_local_account_is_refused_and_the_local_account_is_not_taken_over()
    {
        var localName = "local-" + Guid.NewGuid().ToString("N")[..8];
        var localId = await PortalSignIn.EnsurePlainUserAsync(fixture.App, localName, "Local-Passw0rd-123");
        Provider.User = new TestOidcUser("sub-" + Guid.NewGuid().ToString("N"), localName, ["portal-admins"]);

        var done = await new OidcBrowser(fixture).SignInAsync();

        Assert.Equal($"/account/login?{OidcEndpoints.FailureParameter}={OidcSignInFailure.NameTaken}", OidcBrowser.PathOf(done));
        Assert.Empty(await LoginsAsync(localId));
        Assert.Empty(await GrantsAsync(localId));
    }

    [Fact]
    public async Task A_locked_account_is_not_signed_in_and_keeps_its_grants()
    {
        var user = NewUser("web-ops");
        Provider.User = user;
        await SignInExpectingSuccessAsync();
        var id = (await UserIdAsync(user.UserName))!;
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(id))!, DateTimeOffset.MaxValue);
        }
        Provider.User = user with { Groups = ["portal-admins"] };

        var browser = new OidcBrowser(fixture);
        var done = await browser.SignInAsync();

        Assert.Equal($"/account/login?{OidcEndpoints.FailureParameter}={OidcSignInFailure.LockedOut}", OidcBrowser.PathOf(done));
        Assert.Empty(WebHostTests.AuthCookies(done));
        Assert.Equal([PortalRole.Operator], (await GrantsAsync(id)).Select(g => g.Role));
    }

    [Fact]
    public async Task Signing_out_is_audited_like_a_local_sign_out()
    {
        var user = NewUser();
        Provider.User = user;
        var browser = new OidcBrowser(fixture);
        await SignInExpectingSuccessAsync(browser);
        var page = await browser.Portal.GetStringAsync("/account/login");

        var logout = await browser.Portal.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalSignIn.AntiforgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Contains(await AuditAsync((await UserIdAsync(user.UserName))!), a => a is { Action: AuditActions.SignOut, Succeeded: true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Portal.GetAsync("/account")).StatusCode);
    }

    private async Task AssertRefusedAsync(OidcBrowser browser, TestOidcUser user)
    {
        var refusalsBefore = await CountRefusalsAsync();

        var done = await browser.SignInAsync();

        var errorPage = OidcBrowser.PathOf(done);
        Assert.Equal($"/account/login?{OidcEndpoints.FailureParameter}={OidcSignInFailure.Refused}", errorPage);
        Assert.Empty(WebHostTests.AuthCookies(done));
        Assert.Contains("its answer could not be verified", WebUtility.HtmlDecode(await browser.Portal.GetStringAsync(errorPage)));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Portal.GetAsync("/account")).StatusCode);
        Assert.Null(await UserIdAsync(user.UserName));
        await using (var db = await fixture.Contexts.CreateDbContextAsync())
            Assert.False(await db.UserLogins.AnyAsync(l => l.ProviderKey == user.Subject));
        Assert.Equal(refusalsBefore + 1, await CountRefusalsAsync());
    }

    private async Task<int> CountRefusalsAsync()
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return await db.AuditLog.CountAsync(a => a.Action == AuditActions.SignIn && !a.Succeeded
            && a.ActorName == OidcPortalFixture.DisplayName && a.Error!.StartsWith("identity provider answer refused"));
    }

    private async Task SignInExpectingSuccessAsync(OidcBrowser? browser = null)
    {
        var done = await (browser ?? new OidcBrowser(fixture)).SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", OidcBrowser.PathOf(done));
        Assert.Single(WebHostTests.AuthCookies(done));
    }

    private static TestOidcUser NewUser(params string[] groups)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        return new TestOidcUser("subject-" + suffix, "oidc-" + suffix, groups);
    }

    private async Task<string?> UserIdAsync(string userName)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleOrDefaultAsync();
    }

    private async Task<List<(string Provider, string Key)>> LoginsAsync(string userId)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return (await db.UserLogins.Where(l => l.UserId == userId).ToListAsync()).Select(l => (l.LoginProvider, l.ProviderKey)).ToList();
    }

    private async Task<List<RoleGrantRecord>> GrantsAsync(string userId)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return await db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId).ToListAsync();
    }

    private async Task<List<AuditRecord>> AuditAsync(string userId)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return await db.AuditLog.AsNoTracking().Where(a => a.ActorId == userId).OrderBy(a => a.Id).ToListAsync();
    }

    private async Task GrantByHandAsync(string userId, PortalRole role, Guid team)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        db.RoleGrants.Add(new RoleGrantRecord { Id = Guid.NewGuid(), UserId = userId, Role = role, TeamId = team });
        await db.SaveChangesAsync();
    }

    private async Task<bool> InAdministratorRoleAsync(string userId)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        return await users.IsInRoleAsync((await users.FindByIdAsync(userId))!, AdministratorSeeder.AdministratorRole);
    }

    private async Task<string?> SecurityStampAsync(string userId)
    {
        await using var db = await fixture.Contexts.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }
}
