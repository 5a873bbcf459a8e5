using System.Buffers.Binary;
using System.Net;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration;

public sealed class AccountSecurityTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string TrustedProxy = "10.0.0.5";

    [Fact]
    public async Task The_sign_in_cookie_is_http_only_lax_and_not_secure_over_plain_http()
    {
        var cookie = await SignInCookieAsync(app, new Uri("http://localhost"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_over_https()
    {
        var cookie = await SignInCookieAsync(app, new Uri("https://localhost"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_trusted_proxy_saying_https_makes_the_cookie_secure_and_anyone_else_saying_it_does_not()
    {
        await using var behindProxy = app.WithWebHostBuilder(b => b.UseSetting("ForwardedHeaders:KnownProxies:0", TrustedProxy));

        var viaProxy = await SignInCookieAsync(behindProxy, new Uri("http://localhost"), TrustedProxy, forwardedProto: "https");
        var viaStranger = await SignInCookieAsync(behindProxy, new Uri("http://localhost"), "203.0.113.9", forwardedProto: "https");

        Assert.Contains("; secure", viaProxy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", viaStranger, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_proxy_address_that_is_not_an_address_stops_the_start()
    {
        using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("ForwardedHeaders:KnownProxies:0", "proxy.example"));
        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.Server);
        Assert.Contains("'proxy.example' is not an IP address", error.Message);
    }

    [Fact]
    public async Task A_password_shorter_than_twelve_characters_is_refused()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();

        var tooShort = await users.CreateAsync(new KvmPortalUser { UserName = "short-" + Guid.NewGuid().ToString("N")[..8] }, "Abcdefgh1!x");
        var longEnough = await users.CreateAsync(new KvmPortalUser { UserName = "long-" + Guid.NewGuid().ToString("N")[..8] }, "Abcdefgh1!xy");

        Assert.Contains(tooShort.Errors, e => e.Code == "PasswordTooShort");
        Assert.True(longEnough.Succeeded);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_even_against_the_right_one()
    {
        const string password = "Lockout-Test-Passw0rd";
        var userName = "lockout-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        Assert.True((await users.CreateAsync(new KvmPortalUser { UserName = userName }, password)).Succeeded);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var attempt = 1; attempt <= AccountSecurityServiceCollectionExtensions.MaxFailedSignIns; attempt++)
            await WebHostTests.LogInAsync(client, userName, "wrong-password-" + attempt);
        var right = await WebHostTests.LogInAsync(client, userName, password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked", await right.Content.ReadAsStringAsync());
        Assert.Empty(WebHostTests.AuthCookies(right));
        await using var freshScope = app.Services.CreateAsyncScope(); // the first scope's context holds the user as created
        var freshUsers = freshScope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var lockedUntil = (await freshUsers.GetLockoutEndDateAsync((await freshUsers.FindByNameAsync(userName))!))!.Value;
        Assert.InRange(lockedUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Password_hashes_use_at_least_identitys_default_pbkdf2_iterations()
    {
        var identityDefault = new PasswordHasherOptions().IterationCount;
        Assert.True(app.Services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount >= identityDefault);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var admin = (await users.FindByNameAsync("admin"))!;
        // Identity v3 format: 0x01, PRF (uint32 big endian), iteration count (uint32 big endian), salt length, salt, subkey.
        var hash = Convert.FromBase64String(admin.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal((uint)KeyDerivationPrf.HMACSHA512, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5));
        Assert.True(iterations >= identityDefault, $"{iterations} PBKDF2 iterations, Identity's default is {identityDefault}");
    }

    private enum KeyDerivationPrf : uint { HMACSHA512 = 2 }

    /// <summary>
    /// Signs in and returns the auth cookie's Set-Cookie header. Cookies are carried by hand: behind a proxy that
    /// says https, the antiforgery cookie is Secure while the test client talks plain http and would drop it.
    /// </summary>
    private static async Task<string> SignInCookieAsync(WebApplicationFactory<Program> factory, Uri baseAddress,
        string? clientAddress = null, string? forwardedProto = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = baseAddress });
        if (clientAddress is not null)
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, clientAddress);
        if (forwardedProto is not null)
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        var form = await client.GetAsync("/account/login");
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebHostTests.AntiforgeryToken(await form.Content.ReadAsStringAsync()),
                ["_handler"] = "login",
                ["Input.UserName"] = "admin",
                ["Input.Password"] = KvmPortalAppFixture.AdminPassword,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(WebHostTests.AuthCookies(response));
    }
}
