using System.Net;

namespace KvmPortal.Web.Tests.Integration.Oidc;

/// <summary>Without KvmPortal:Oidc:Authority there is no button, no endpoint and no handler: local accounts only.</summary>
public sealed class OidcDisabledTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task The_login_page_offers_only_the_password_and_the_provider_paths_do_not_exist()
    {
        var client = PortalSignIn.NewBrowser(app);
        var response = await client.GetAsync("/account/login");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("form-action 'self';", response.Headers.GetValues("Content-Security-Policy").Single());

        Assert.DoesNotContain("login-oidc", page);
        var challenge = await client.PostAsync("/account/login/oidc", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalSignIn.AntiforgeryToken(page),
        }));
        // No endpoint and no handler: like any unknown path, the anonymous request is sent to the login page.
        Assert.StartsWith("/account/login?ReturnUrl=", OidcBrowser.PathOf(challenge));
        Assert.StartsWith("/account/login?ReturnUrl=", OidcBrowser.PathOf(await client.GetAsync("/signin-oidc?code=x&state=y")));
        Assert.Equal(HttpStatusCode.Redirect, (await PortalSignIn.PostLoginAsync(client, "admin", KvmPortalAppFixture.AdminPassword)).StatusCode);
    }
}
