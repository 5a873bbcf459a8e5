using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration;

public sealed class StartupValidationTests
{
    private sealed class BadDefaultHostApp : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:KvmPortal", "Host=unused.invalid");
            builder.UseSetting("KvmPortal:DefaultHosts:0", "qemu://lab1/system");
        }
    }

    [Fact]
    public void An_invalid_default_host_stops_the_start_with_the_uri_advice()
    {
        using var app = new BadDefaultHostApp();
        var error = Assert.Throws<OptionsValidationException>(() => app.Server);
        Assert.Contains("KvmPortal:DefaultHosts 'qemu://lab1/system': A local URI has no host name", error.Message);
    }

    private sealed class HalfConfiguredOidcApp : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:KvmPortal", "Host=unused.invalid");
            builder.UseSetting("KvmPortal:Oidc:Authority", "https://login.example.com");
        }
    }

    [Fact]
    public void An_identity_provider_without_a_client_id_stops_the_start_naming_the_key()
    {
        using var app = new HalfConfiguredOidcApp();
        var error = Assert.Throws<OptionsValidationException>(() => app.Server);
        Assert.Contains("KvmPortal:Oidc:ClientId is required.", error.Message);
    }
}
