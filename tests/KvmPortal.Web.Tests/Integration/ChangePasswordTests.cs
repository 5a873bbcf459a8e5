using System.Net;

namespace KvmPortal.Web.Tests.Integration;

public sealed class ChangePasswordTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string OldPassword = "Old-Passw0rd-Here";
    private const string NewPassword = "New-Passw0rd-There";
    private const string Page = "/account/password";

    [Fact]
    public async Task The_page_needs_a_signed_in_user()
    {
        var response = await AccountForms.NewClient(app).GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_and_nothing_changes()
    {
        var (userName, client) = await SignedInUserAsync();

        var html = await ChangeAsync(client, "Not-The-Passw0rd", NewPassword, NewPassword);

        Assert.Contains("The current password is not correct.", html);
        Assert.DoesNotContain("password-changed", html);
        Assert.True(await PasswordIsAsync(userName, OldPassword));
    }

    [Fact]
    public async Task A_new_password_that_breaks_the_rules_or_is_not_repeated_exactly_is_refused()
    {
        var (userName, client) = await SignedInUserAsync();

        var tooShort = await ChangeAsync(client, OldPassword, "Short-Pw0rd", "Short-Pw0rd");
        var notRepeated = await ChangeAsync(client, OldPassword, NewPassword, NewPassword + "x");

        Assert.Contains("The password must be at least 12 characters long.", tooShort);
        Assert.Contains("The two new passwords are not the same.", notRepeated);
        Assert.DoesNotContain(NewPassword, notRepeated); // passwords are not written back into the page
        Assert.True(await PasswordIsAsync(userName, OldPassword));
    }

    [Fact]
    public async Task The_new_password_replaces_the_old_and_this_browser_stays_signed_in()
    {
        var (userName, client) = await SignedInUserAsync();

        var html = await ChangeAsync(client, OldPassword, NewPassword, NewPassword);

        Assert.Contains("Your password has been changed.", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WebHostTests.LogInAsync(AccountForms.NewClient(app), userName, OldPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LogInAsync(AccountForms.NewClient(app), userName, NewPassword)).StatusCode);
    }

    private async Task<(string UserName, HttpClient Client)> SignedInUserAsync()
    {
        var userName = await AccountForms.CreateUserAsync(app, OldPassword);
        var client = AccountForms.NewClient(app);
        Assert.Equal(HttpStatusCode.Redirect, (await WebHostTests.LogInAsync(client, userName, OldPassword)).StatusCode);
        return (userName, client);
    }

    private static async Task<string> ChangeAsync(HttpClient client, string current, string newPassword, string confirm)
    {
        var response = await AccountForms.PostAsync(client, Page, "change-password", new()
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = confirm,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<bool> PasswordIsAsync(string userName, string password) =>
        AccountForms.WithUserAsync(app, userName, (users, user) => users.CheckPasswordAsync(user, password));
}
