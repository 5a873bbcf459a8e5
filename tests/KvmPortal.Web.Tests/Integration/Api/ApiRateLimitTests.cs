using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>The REST API and its hub are under the `api` rate limit: past it, 429 with a problem body.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiRateLimitTests(ApiAppFixture app)
{
    [Fact]
    public async Task Calls_past_the_limit_get_429_counted_per_user_whatever_the_address()
    {
        const int limit = 3;
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("RateLimits:ApiPerMinute", limit.ToString()));
        var token = (await app.CreateTokenAsync(await app.AdminIdAsync())).Token;
        var script = Client(limited, token, "198.51.100.20");

        for (var call = 1; call <= limit; call++)
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/hosts")).StatusCode);
        var refused = await script.GetAsync("/api/v1/hosts");

        await ApiAssert.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        // The same user from elsewhere is still over the limit; another user at the same address is not.
        await ApiAssert.ProblemAsync(await Client(limited, token, "198.51.100.21").GetAsync("/api/v1/hosts"), HttpStatusCode.TooManyRequests);
        var other = await app.Access.CreateUserAsync("ratelimit");
        await app.Access.GrantAsync(other, KvmPortal.Web.Access.PortalRole.Viewer, team: null);
        var otherToken = (await app.CreateTokenAsync(other.UserId)).Token;
        Assert.Equal(HttpStatusCode.OK, (await Client(limited, otherToken, "198.51.100.20").GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Calls_with_a_wrong_token_are_counted_per_address()
    {
        const int limit = 2;
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("RateLimits:ApiPerMinute", limit.ToString()));
        var guesser = Client(limited, "kvp_0123456789ab_guess", "198.51.100.30");

        for (var call = 1; call <= limit; call++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/v1/hosts")).StatusCode);

        await ApiAssert.ProblemAsync(await guesser.GetAsync("/api/v1/hosts"), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(limited, "kvp_0123456789ab_guess", "198.51.100.31").GetAsync("/api/v1/hosts")).StatusCode);
    }

    private static HttpClient Client(WebApplicationFactory<Program> factory, string token, string address)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return client;
    }
}
