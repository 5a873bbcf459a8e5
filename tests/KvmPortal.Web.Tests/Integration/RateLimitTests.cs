using System.Net;
using System.Security.Claims;
using KvmPortal.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KvmPortal.Web.Tests.Integration;

public sealed class RateLimitTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_get_429_with_a_page_that_says_why_and_only_for_that_address()
    {
        var limit = new RateLimitOptions().SignInPerMinute;
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("RateLimits:SignInPerMinute", limit.ToString()));
        var guesser = Client(limited, "198.51.100.7");
        var form = await guesser.GetStringAsync("/account/login");

        for (var attempt = 1; attempt <= limit; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(guesser, form, "guess-" + attempt)).StatusCode);
        var refused = await PostLoginAsync(guesser, form, "one-more");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts from your address", await refused.Content.ReadAsStringAsync());
        // Reading the form is not limited, and another address is not affected.
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync("/account/login")).StatusCode);
        var someoneElse = Client(limited, "198.51.100.8");
        Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(someoneElse, await someoneElse.GetStringAsync("/account/login"), "x")).StatusCode);
    }

    [Fact]
    public void The_api_policy_counts_a_signed_in_caller_per_user_and_anyone_else_per_address()
    {
        var alice = Request("203.0.113.1", userId: "alice");
        var aliceElsewhere = Request("203.0.113.2", userId: "alice");
        var bob = Request("203.0.113.1", userId: "bob");
        var anonymous = Request("203.0.113.1", userId: null);

        Assert.Equal(RateLimitPolicies.ApiPartitionKey(alice), RateLimitPolicies.ApiPartitionKey(aliceElsewhere));
        Assert.NotEqual(RateLimitPolicies.ApiPartitionKey(alice), RateLimitPolicies.ApiPartitionKey(bob));
        Assert.NotEqual(RateLimitPolicies.ApiPartitionKey(alice), RateLimitPolicies.ApiPartitionKey(anonymous));
        Assert.Equal("address:203.0.113.1", RateLimitPolicies.ApiPartitionKey(anonymous));
    }

    [Fact]
    public async Task The_api_policy_refuses_a_caller_past_its_limit()
    {
        var context = Request("203.0.113.1", userId: "alice");
        var partition = RateLimitPolicies.ApiCaller(context, perMinute: 2);
        using var limiter = partition.Factory(partition.PartitionKey);

        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.False((await limiter.AcquireAsync()).IsAcquired);
    }

    private static HttpClient Client(WebApplicationFactory<Program> factory, string address)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return client;
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string form, string password) =>
        client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebHostTests.AntiforgeryToken(form),
            ["_handler"] = "login",
            ["Input.UserName"] = "nobody-" + Guid.NewGuid().ToString("N")[..6],
            ["Input.Password"] = password,
        }));

    private static DefaultHttpContext Request(string address, string? userId)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (userId is not null)
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
        return context;
    }
}
