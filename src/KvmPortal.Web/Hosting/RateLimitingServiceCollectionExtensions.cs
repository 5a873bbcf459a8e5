using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>
    /// Sign-in posts limited per client address for every request (a global limiter, so the account pages need no
    /// attribute), and the named <see cref="RateLimitPolicies.Api"/> policy for the REST API to opt into.
    /// </summary>
    public static IServiceCollection AddKvmPortalRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter => limiter.OnRejected = RateLimitRejection.WriteAsync);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var signIn = limits.Value.SignInPerMinute;
            var api = limits.Value.ApiPerMinute;
            limiter.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(
                context => RateLimitPolicies.SignIn(context, signIn));
            limiter.AddPolicy(RateLimitPolicies.Api, context => RateLimitPolicies.ApiCaller(context, api));
        });
        return services;
    }
}
