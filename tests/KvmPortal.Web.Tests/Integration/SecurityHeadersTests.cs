using System.Net;
using System.Text.RegularExpressions;
using KvmPortal.Hypervisor.Inventory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration;

public sealed partial class SecurityHeadersTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string SecretDetail = "inventory-exploded-with-a-secret-detail";

    [Fact]
    public async Task Pages_carry_the_security_headers_and_the_import_map_carries_the_policys_nonce()
    {
        var response = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("connect-src 'self' ws: wss:", policy);
        Assert.Contains("img-src 'self' data: blob:", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        var scriptSource = ScriptSourcePattern().Match(policy);
        Assert.True(scriptSource.Success, policy);
        Assert.Contains($"<script type=\"importmap\" nonce=\"{scriptSource.Groups[1].Value}\"", html);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
    }

    [Fact]
    public async Task Each_response_gets_a_new_nonce()
    {
        var client = app.CreateClient();
        var first = (await client.GetAsync("/account/login")).Headers.GetValues("Content-Security-Policy").Single();
        var second = (await client.GetAsync("/account/login")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.NotEqual(ScriptSourcePattern().Match(first).Groups[1].Value, ScriptSourcePattern().Match(second).Groups[1].Value);
    }

    [Fact]
    public async Task In_production_an_error_shows_the_error_page_without_details_and_with_the_headers()
    {
        await using var production = app.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.ConfigureTestServices(ThrowFromTheInventory);
        });
        var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await WebHostTests.LogInAsync(client, "admin", KvmPortalAppFixture.AdminPassword);

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("An error occurred", html);
        Assert.DoesNotContain(SecretDetail, html);
        Assert.DoesNotContain(nameof(InvalidOperationException), html);
        Assert.DoesNotContain(" at KvmPortal.", html);
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task In_development_the_same_error_does_show_its_details()
    {
        await using var development = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(ThrowFromTheInventory));
        var client = development.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await WebHostTests.LogInAsync(client, "admin", KvmPortalAppFixture.AdminPassword);

        var html = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains(SecretDetail, html);
    }

    [Fact]
    public async Task Neither_the_database_password_nor_the_administrator_password_is_logged()
    {
        var logs = new CapturedLogs();
        var fresh = await KvmPortalAppFixture.StartNewAsync(builder =>
        {
            builder.UseEnvironment("Production");
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(logs);
                logging.AddFilter<CapturedLogs>(_ => true); // every level and category, whatever appsettings says
            });
            builder.ConfigureTestServices(ThrowFromTheInventory);
        });
        try
        {
            var client = fresh.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            await WebHostTests.LogInAsync(client, "admin", "wrong-" + KvmPortalAppFixture.AdminPassword);
            await WebHostTests.LogInAsync(client, "admin", KvmPortalAppFixture.AdminPassword);
            await client.GetAsync("/"); // logs the exception
        }
        finally
        {
            await ((IAsyncLifetime)fresh).DisposeAsync();
        }

        var text = logs.Text;
        Assert.Contains("Created administrator admin", text);
        Assert.Contains(SecretDetail, text);
        var databasePassword = new NpgsqlConnectionStringBuilder(fresh.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(databasePassword), "the test database needs a password for this test to mean anything");
        Assert.DoesNotContain(databasePassword!, text);
        Assert.DoesNotContain(KvmPortalAppFixture.AdminPassword, text);
    }

    private static void ThrowFromTheInventory(IServiceCollection services)
    {
        services.RemoveAll<IInventory>();
        services.AddSingleton<IInventory, ThrowingInventory>();
    }

    private sealed class ThrowingInventory : IInventory
    {
        public InventorySnapshot Current => throw new InvalidOperationException(SecretDetail);

        public InventorySubscription Subscribe(CancellationToken cancellationToken) => throw new InvalidOperationException(SecretDetail);
    }

    [GeneratedRegex("script-src 'self' 'nonce-([^']+)'")]
    private static partial Regex ScriptSourcePattern();
}
