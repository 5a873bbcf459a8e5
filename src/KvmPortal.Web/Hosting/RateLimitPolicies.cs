using System.Security.Claims;
using System.Threading.RateLimiting;

namespace KvmPortal.Web.Hosting;

/// <summary>Who shares a rate limit bucket with whom.</summary>
public static class RateLimitPolicies
{
    /// <summary>The named policy for the REST API: <c>group.RequireRateLimiting(RateLimitPolicies.Api)</c>.</summary>
    public const string Api = "api";

    /// <summary>The form posts that check a password or a code: the ones worth guessing at.</summary>
    public static readonly IReadOnlyList<PathString> SignInPosts =
        ["/account/login", "/account/login-2fa", "/account/password", "/account/two-factor"];

    /// <summary>Sign-in posts are counted per client address; every other request is not limited here.</summary>
    public static RateLimitPartition<string> SignIn(HttpContext context, int perMinute) =>
        HttpMethods.IsPost(context.Request.Method) && SignInPosts.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase))
            ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + ClientAddress(context), _ => PerMinute(perMinute))
            : RateLimitPartition.GetNoLimiter("none");

    /// <summary>
    /// An authenticated caller (cookie or API token) is counted per user, so one user's scripts cannot starve
    /// another's; unauthenticated calls per client address, so guessing tokens is slowed down as well.
    /// </summary>
    public static RateLimitPartition<string> ApiCaller(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(ApiPartitionKey(context), _ => PerMinute(perMinute));

    internal static string ApiPartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? "user:" + userId
            : "address:" + ClientAddress(context);

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
