using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KvmPortal.Web.Tests.Integration.Oidc;

/// <summary>
/// Walks a browser's part of the authorization code flow by hand: the login page's button, the provider's
/// authorization endpoint (over real HTTP), and back to the portal, one redirect at a time.
/// </summary>
internal sealed class OidcBrowser(OidcPortalFixture fixture)
{
    public HttpClient Portal { get; } = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Lets a test tamper with the provider's redirect back to the portal (state, code).</summary>
    public Func<Uri, Uri> Intercept { get; init; } = uri => uri;

    /// <summary>Runs the whole flow and returns the portal's last answer (a redirect to the return URL or to the login page's error).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string returnUrl = "/")
    {
        var loginPage = await Portal.GetStringAsync("/account/login");
        Assert.Contains($"Sign in with {OidcPortalFixture.DisplayName}", loginPage);
        var challenge = await Portal.PostAsync("/account/login/oidc", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalSignIn.AntiforgeryToken(loginPage),
            ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(fixture.Provider.Issuer + "/authorize?", authorize.AbsoluteUri);

        using var providerClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await providerClient.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var callback = Intercept(answer.Headers.Location!);
        Assert.StartsWith(OidcPortalFixture.RedirectUri, callback.AbsoluteUri);

        var response = await Portal.GetAsync(callback.PathAndQuery);
        // The handler verified the answer and continues at the page that finds or creates the account.
        while (response.StatusCode == HttpStatusCode.Redirect && PathOf(response).StartsWith("/account/login/oidc/", StringComparison.Ordinal))
            response = await Portal.GetAsync(PathOf(response));
        return response;
    }

    public static string PathOf(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString) : "";
}
