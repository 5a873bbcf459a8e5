using KvmPortal.Web.Components.Account.Pages;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Oidc;

/// <summary>The login page's "Sign in with ..." button and the return from the identity provider; mapped only when it is configured.</summary>
public static class OidcEndpoints
{
    public const string Scheme = "oidc";
    public const string ChallengePath = "/account/login/oidc";
    public const string CompletePath = "/account/login/oidc/complete";
    /// <summary>Where the provider sends the browser back to (register this redirect URI with it).</summary>
    public const string CallbackPath = "/signin-oidc";
    public const string FailureParameter = "oidcError";

    public static IEndpointRouteBuilder MapOidcSignIn(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled)
            return endpoints;

        // POST /account/login/oidc (form: returnUrl): off to the identity provider, which sends the browser back to
        // /signin-oidc; its handler verifies the answer and continues at CompletePath.
        endpoints.MapPost(ChallengePath, async (HttpContext context, IAntiforgery antiforgery, SignInManager<KvmPortalUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest();
            var form = await context.Request.ReadFormAsync();
            var returnUrl = Login.LocalReturnUrl(form["returnUrl"]);
            var properties = signIn.ConfigureExternalAuthenticationProperties(Scheme,
                $"{CompletePath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Results.Challenge(properties, [Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet(CompletePath, async (HttpContext context, OidcSignIn oidc, string? returnUrl) =>
            await oidc.CompleteAsync(context) is { } failure
                ? Results.LocalRedirect(FailureUrl(failure))
                : Results.LocalRedirect(Login.LocalReturnUrl(returnUrl))).AllowAnonymous();
        return endpoints;
    }

    public static string FailureUrl(OidcSignInFailure failure) => $"{Hosting.IdentityServiceCollectionExtensions.LoginPath}?{FailureParameter}={failure}";
}
