using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>The volume upload and download endpoints: login, antiforgery header, streaming both ways, headers.</summary>
public sealed partial class StorageEndpointTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private static readonly Guid HostId = Guid.Parse("0b3a4f0e-9d7c-4d7e-8f52-6d8d2b1f0a11");

    private HttpClient NewClient() =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Upload_needs_a_login_and_the_antiforgery_header_then_round_trips()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        var url = $"/api/storage/{HostId}/images/volumes/disk%20one.iso/upload";

        var anonymous = await NewClient().PostAsync(url, new ByteArrayContent(data));
        Assert.NotEqual(HttpStatusCode.NoContent, anonymous.StatusCode);
        Assert.DoesNotContain("images/disk one.iso", app.Storage.Files.Keys);

        var client = NewClient();
        var token = await LogInAsync(client);
        var withoutToken = await client.PostAsync(url, new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(data) };
        request.Headers.Add("RequestVerificationToken", token);
        var upload = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        Assert.Equal(data, app.Storage.Files["images/disk one.iso"]);
        Assert.Contains($"upload images/disk one.iso {data.Length}", app.Storage.Calls);

        var download = await client.GetAsync($"/api/storage/{HostId}/images/volumes/disk%20one.iso/download", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(data.Length, download.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Contains("disk one.iso", download.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());

        var missing = await client.GetAsync($"/api/storage/{HostId}/images/volumes/none.raw/download");
        Assert.Equal(HttpStatusCode.Conflict, missing.StatusCode);
        Assert.Contains("no longer exists", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_user_without_the_storage_permission_is_refused_before_the_hypervisor()
    {
        var name = "viewer-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "Viewer-Passw0rd!";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
            var user = new KvmPortalUser { UserName = name };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
            db.RoleGrants.Add(new RoleGrantRecord { Id = Guid.NewGuid(), UserId = user.Id, Role = PortalRole.Viewer });
            await db.SaveChangesAsync();
        }
        var client = NewClient();
        var token = await LogInAsync(client, name, password);
        var calls = app.Storage.Calls.Count;

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/storage/{HostId}/images/volumes/stolen.iso/upload") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.Add("RequestVerificationToken", token);
        var upload = await client.SendAsync(request);
        var download = await client.GetAsync($"/api/storage/{HostId}/images/volumes/disk%20one.iso/download");

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
        Assert.Equal(calls, app.Storage.Calls.Count);
        Assert.DoesNotContain("images/stolen.iso", app.Storage.Files.Keys);
    }

    /// <summary>Logs in (the administrator unless told); returns the antiforgery token a page carries for this user.</summary>
    private static async Task<string> LogInAsync(HttpClient client, string userName = "admin", string password = KvmPortalAppFixture.AdminPassword)
    {
        var form = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(form),
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Token(await client.GetStringAsync("/vms"));
    }

    private static string Token(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
