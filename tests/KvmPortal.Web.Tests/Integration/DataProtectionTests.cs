using System.Net;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>Sign-in cookies outlive the instance that issued them: the key ring is in PostgreSQL.</summary>
public sealed class DataProtectionTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task A_cookie_issued_by_one_instance_is_accepted_by_a_fresh_instance_on_the_same_database()
    {
        var cookie = await SignInCookieAsync(app);

        await using var restarted = await app.StartInstanceOnSameDatabaseAsync();

        var page = await GetWithCookieAsync(restarted, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("admin", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_key_ring_is_the_one_stored_in_the_database_under_the_fixed_application_name()
    {
        await SignInCookieAsync(app); // makes sure a key exists
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        var stored = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        var inUse = app.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => "key-" + k.KeyId.ToString("D"));

        Assert.NotEmpty(stored);
        Assert.Equal(stored.Order(), inUse.Order());
        Assert.Equal(KvmPortalDataProtectionServiceCollectionExtensions.ApplicationName,
            app.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    internal static async Task<string> SignInCookieAsync(KvmPortalAppFixture instance)
    {
        var client = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await WebHostTests.LogInAsync(client, "admin", KvmPortalAppFixture.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(WebHostTests.AuthCookies(response)).Split(';')[0];
    }

    internal static Task<HttpResponseMessage> GetWithCookieAsync(KvmPortalAppFixture instance, string path, string cookie)
    {
        var client = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}

/// <summary>The other side: without the stored keys a fresh instance cannot read the cookie (so it is the database, not a local folder, that carries them).</summary>
public sealed class DataProtectionWithoutStoredKeysTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task A_fresh_instance_refuses_the_cookie_once_the_stored_keys_are_gone()
    {
        var cookie = await DataProtectionTests.SignInCookieAsync(app);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync())
            Assert.True(await db.DataProtectionKeys.ExecuteDeleteAsync() > 0);

        await using var restarted = await app.StartInstanceOnSameDatabaseAsync();

        var page = await DataProtectionTests.GetWithCookieAsync(restarted, "/", cookie);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.Headers.Location!.AbsolutePath);
    }
}
