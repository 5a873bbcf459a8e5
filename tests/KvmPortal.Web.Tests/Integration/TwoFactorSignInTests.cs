using System.Net;
using System.Text.RegularExpressions;

namespace KvmPortal.Web.Tests.Integration;

public sealed partial class TwoFactorSignInTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string Password = "Two-Factor-Passw0rd";
    private const string TwoFactorPage = "/account/two-factor";
    private const string CodePage = "/account/login-2fa";

    [Fact]
    public async Task Turning_it_on_needs_the_apps_current_code_and_shows_the_key_the_link_and_the_recovery_codes_once()
    {
        var userName = await AccountForms.CreateUserAsync(app, Password);
        var client = await SignedInClientAsync(userName);

        var setupPage = await client.GetStringAsync(TwoFactorPage);
        var key = KeyIn(setupPage);
        Assert.Contains($"otpauth://totp/KvmPortal:{userName}?secret={key}&amp;issuer=KvmPortal&amp;digits=6", setupPage);
        Assert.Contains("src=\"data:image/png;base64,", setupPage);

        var wrong = await AccountForms.PostAsync(client, TwoFactorPage, "enable-two-factor", new() { ["Input.Code"] = WrongCode(key) });
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());
        Assert.False(await AccountForms.WithUserAsync(app, userName, (users, user) => users.GetTwoFactorEnabledAsync(user)));

        var right = await AccountForms.PostAsync(client, TwoFactorPage, "enable-two-factor", new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var shown = RecoveryCodesIn(await right.Content.ReadAsStringAsync());
        Assert.Equal(10, shown.Count);
        Assert.True(await AccountForms.WithUserAsync(app, userName, (users, user) => users.GetTwoFactorEnabledAsync(user)));
        // Shown once: the page does not show them again, and the browser is still signed in.
        var later = await client.GetStringAsync(TwoFactorPage);
        Assert.Empty(RecoveryCodesIn(later));
        Assert.Contains("data-enabled=\"true\"", later);
    }

    [Fact]
    public async Task With_two_factor_on_the_password_alone_does_not_sign_in_and_the_current_code_does()
    {
        var (userName, key, _) = await UserWithTwoFactorAsync();
        var client = AccountForms.NewClient(app);

        var password = await WebHostTests.LogInAsync(client, userName, Password, returnUrl: "/hosts");
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith(CodePage, password.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        Assert.Empty(WebHostTests.AuthCookies(password));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var codeUrl = password.Headers.Location.OriginalString;
        var wrong = await AccountForms.PostAsync(client, codeUrl, "login-2fa", new() { ["Input.Code"] = WrongCode(key) });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());
        Assert.Empty(WebHostTests.AuthCookies(wrong));

        var code = Totp.Code(key, DateTimeOffset.UtcNow);
        var right = await AccountForms.PostAsync(client, codeUrl, "login-2fa", new() { ["Input.Code"] = code[..3] + " " + code[3..] });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/hosts", right.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        Assert.Single(WebHostTests.AuthCookies(right));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (userName, _, recoveryCodes) = await UserWithTwoFactorAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(userName, recoveryCodes[0].ToLowerInvariant())).StatusCode);
        var again = await SignInWithCodeAsync(userName, recoveryCodes[0]);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("That code is not right", await again.Content.ReadAsStringAsync());
        Assert.Equal(9, await AccountForms.WithUserAsync(app, userName, (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task The_code_page_without_a_password_first_signs_nobody_in()
    {
        var client = AccountForms.NewClient(app);
        var page = await client.GetStringAsync(CodePage);
        Assert.Contains("This sign-in has expired", page);
        Assert.DoesNotContain("login-code", page);
    }

    [Fact]
    public async Task Turning_it_off_goes_back_to_the_password_alone_and_forgets_the_key()
    {
        var (userName, key, _) = await UserWithTwoFactorAsync();
        var client = AccountForms.NewClient(app);
        await WebHostTests.LogInAsync(client, userName, Password);
        await AccountForms.PostAsync(client, CodePage, "login-2fa", new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        var off = await AccountForms.PostAsync(client, TwoFactorPage, "disable-two-factor");
        var offPage = await off.Content.ReadAsStringAsync();

        Assert.Contains("Two-factor sign-in is off now.", offPage);
        Assert.NotEqual(key, KeyIn(offPage));
        var again = await WebHostTests.LogInAsync(AccountForms.NewClient(app), userName, Password, returnUrl: "/hosts");
        Assert.Equal("/hosts", again.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    private async Task<HttpResponseMessage> SignInWithCodeAsync(string userName, string code)
    {
        var client = AccountForms.NewClient(app);
        var password = await WebHostTests.LogInAsync(client, userName, Password);
        return await AccountForms.PostAsync(client, password.Headers.Location!.OriginalString, "login-2fa", new() { ["Input.Code"] = code });
    }

    private async Task<(string UserName, string Key, List<string> RecoveryCodes)> UserWithTwoFactorAsync()
    {
        var userName = await AccountForms.CreateUserAsync(app, Password);
        var client = await SignedInClientAsync(userName);
        var key = KeyIn(await client.GetStringAsync(TwoFactorPage));
        var enabled = await AccountForms.PostAsync(client, TwoFactorPage, "enable-two-factor", new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var codes = RecoveryCodesIn(await enabled.Content.ReadAsStringAsync());
        Assert.NotEmpty(codes);
        return (userName, key, codes);
    }

    private async Task<HttpClient> SignedInClientAsync(string userName)
    {
        var client = AccountForms.NewClient(app);
        Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LogInAsync(client, userName, Password)).StatusCode);
        return client;
    }

    /// <summary>A 6-digit code that no step Identity accepts around now (it allows a little clock drift).</summary>
    private static string WrongCode(string key)
    {
        var valid = Enumerable.Range(-3, 7).Select(step => Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30 * step))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(n => n.ToString("D6")).First(candidate => !valid.Contains(candidate));
    }

    private static string KeyIn(string html) =>
        KeyPattern().Match(html) is { Success: true } match
            ? match.Groups[1].Value.Replace(" ", "").ToUpperInvariant()
            : throw new InvalidOperationException("No authenticator key in the page:\n" + html);

    private static List<string> RecoveryCodesIn(string html) =>
        CodesPattern().Match(html) is { Success: true } list
            ? ItemPattern().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value.Trim()).ToList()
            : [];

    [GeneratedRegex("data-testid=\"two-factor-key\">([^<]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("data-testid=\"recovery-codes\">(.*?)</ul>", RegexOptions.Singleline)]
    private static partial Regex CodesPattern();

    [GeneratedRegex("<li>([^<]+)</li>")]
    private static partial Regex ItemPattern();
}
