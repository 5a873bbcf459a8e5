using System.Net;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>Personal API tokens on the real PostgreSQL: what opens /api/v1 and what gets 401.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTokenTests(ApiAppFixture app)
{
    private IDbContextFactory<KvmPortalDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>();

    [Fact]
    public async Task A_new_token_opens_the_api_until_it_is_revoked()
    {
        var adminId = await app.AdminIdAsync();
        var created = await app.CreateTokenAsync(adminId);
        var client = app.ApiClient(created.Token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/vms")).StatusCode);

        Assert.True(await app.Services.GetRequiredService<ApiTokens>().RevokeAsync(new(adminId, "admin", null), created.Record.Id));
        var revoked = await client.GetAsync("/api/v1/vms");
        await ApiAssert.ProblemAsync(revoked, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", revoked.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Only_the_hash_is_stored_and_use_is_recorded()
    {
        var created = await app.CreateTokenAsync(await app.AdminIdAsync());
        Assert.Matches("^kvp_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$", created.Token);

        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(created.Token).GetAsync("/api/v1/hosts")).StatusCode);

        await using var db = await Contexts.CreateDbContextAsync();
        var stored = await db.ApiTokens.SingleAsync(t => t.Id == created.Record.Id);
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(created.Token.Split('_').Last(), System.Text.Encoding.ASCII.GetString(stored.SecretHash));
        Assert.NotNull(stored.LastUsedAt);
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var created = await app.CreateTokenAsync(await app.AdminIdAsync(), DateTimeOffset.UtcNow.AddDays(1));
        var client = app.ApiClient(created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/vms")).StatusCode);

        await using (var db = await Contexts.CreateDbContextAsync())
            await db.ApiTokens.Where(t => t.Id == created.Record.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));

        await ApiAssert.ProblemAsync(await client.GetAsync("/api/v1/vms"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("kvp_")]
    [InlineData("kvp_0123456789_short")]
    [InlineData("kvp_0123456789_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well formed, unknown
    [InlineData("kvp_ZZZZZZZZZZ_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_token_gets_401(string token)
    {
        await ApiAssert.ProblemAsync(await app.ApiClient(token).GetAsync("/api/v1/vms"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_with_a_wrong_secret_gets_401()
    {
        var created = await app.CreateTokenAsync(await app.AdminIdAsync());
        var tampered = created.Token[..^1] + (created.Token[^1] == 'A' ? 'B' : 'A');
        await ApiAssert.ProblemAsync(await app.ApiClient(tampered).GetAsync("/api/v1/vms"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task No_token_gets_401_not_the_login_page()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        await ApiAssert.ProblemAsync(await client.GetAsync("/api/v1/vms"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_signed_in_browser_cookie_does_not_open_the_api()
    {
        var browser = await PortalSignIn.SignedInAsync(app, "admin", KvmPortalAppFixture.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hosts")).StatusCode);

        await ApiAssert.ProblemAsync(await browser.GetAsync("/api/v1/vms"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await browser.PostAsync($"/api/v1/vms/{Guid.NewGuid()}/{Guid.NewGuid()}/actions/forceoff", null),
            HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_access_token_query_parameter_counts_only_on_the_hub_path()
    {
        var created = await app.CreateTokenAsync(await app.AdminIdAsync());
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        await ApiAssert.ProblemAsync(await client.GetAsync($"/api/v1/vms?access_token={created.Token}"), HttpStatusCode.Unauthorized);
        var negotiate = await client.PostAsync($"/api/v1/hubs/inventory/negotiate?negotiateVersion=1&access_token={created.Token}", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
    }

    [Fact]
    public async Task Names_and_expiry_are_validated()
    {
        var tokens = app.Services.GetRequiredService<ApiTokens>();
        Assert.Equal("ApiTokenNameRequired", tokens.Validate(" ", null));
        Assert.Equal("ApiTokenNameTooLong", tokens.Validate(new string('x', 101), null));
        Assert.Equal("ApiTokenExpiryPast", tokens.Validate("ci", DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Null(tokens.Validate("ci", DateTimeOffset.UtcNow.AddDays(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => tokens.CreateAsync(new("x", "x", null), "", null));
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_token()
    {
        var created = await app.CreateTokenAsync(await app.AdminIdAsync());
        var tokens = app.Services.GetRequiredService<ApiTokens>();

        Assert.False(await tokens.RevokeAsync(new("someone-else", "mallory", null), created.Record.Id));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(created.Token).GetAsync("/api/v1/vms")).StatusCode);
    }
}
