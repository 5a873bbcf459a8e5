using System.Net;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>A browser-like client for the statically rendered account forms: reads a page, posts one of its forms.</summary>
internal static class AccountForms
{
    public static HttpClient NewClient(KvmPortalAppFixture app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the form named <paramref name="formName"/> of the page at <paramref name="url"/> with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string formName, Dictionary<string, string>? fields = null)
    {
        var page = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = new Dictionary<string, string>(fields ?? [])
        {
            ["__RequestVerificationToken"] = WebHostTests.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            ["_handler"] = formName,
        };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static async Task<string> CreateUserAsync(KvmPortalAppFixture app, string password)
    {
        var userName = "user-" + Guid.NewGuid().ToString("N")[..10];
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var result = await users.CreateAsync(new KvmPortalUser { UserName = userName }, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return userName;
    }

    /// <summary>Reads the user fresh from the database (a scope of its own, so nothing cached).</summary>
    public static async Task<T> WithUserAsync<T>(KvmPortalAppFixture app, string userName, Func<UserManager<KvmPortalUser>, KvmPortalUser, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        return await read(users, (await users.FindByNameAsync(userName))!);
    }
}
