using Microsoft.AspNetCore.Authentication;

namespace KvmPortal.Web.Api.Tokens;

public static class ApiTokenCallers
{
    /// <summary>
    /// Signs in a request's API token before the rate limiter runs, so API calls are counted per user. Otherwise the
    /// token would only be checked by the endpoint's authorization, after the limiter, which would then count every
    /// token call by client address. The authorization later reuses this request's result.
    /// </summary>
    public static IApplicationBuilder UseApiTokenCallers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated != true
            && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && (await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName)).Principal is { } caller)
        {
            context.User = caller;
        }
        await next(context);
    });
}
