using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace KvmPortal.Web.Oidc;

/// <summary>
/// The OpenID Connect handler's settings from <see cref="OidcOptions"/>: authorization code flow with PKCE, the
/// handler's own state, nonce, issuer, audience and signature checks, no tokens kept, and the verified identity
/// handed to Identity's external cookie for <see cref="OidcSignIn"/>.
/// </summary>
internal static class OidcHandlerSetup
{
    public static void Apply(OpenIdConnectOptions handler, OidcOptions oidc)
    {
        handler.SignInScheme = IdentityConstants.ExternalScheme;
        handler.Authority = oidc.Authority;
        handler.ClientId = oidc.ClientId;
        handler.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        handler.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        handler.CallbackPath = OidcEndpoints.CallbackPath;
        handler.ResponseType = OpenIdConnectResponseType.Code;
        handler.UsePkce = true;
        // The code comes back in the query of a top-level GET, not the handler's default cross-site form post: the
        // correlation and nonce cookies can then be SameSite=Lax like the portal's own, and work on plain HTTP too.
        handler.ResponseMode = OpenIdConnectResponseMode.Query;
        foreach (var cookie in new[] { handler.CorrelationCookie, handler.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        }
        handler.SaveTokens = false;
        handler.DisableTelemetry = true;
        // Claims keep the token's names ("sub", "groups", "preferred_username"), the ones the configuration uses.
        handler.MapInboundClaims = false;
        handler.Scope.Clear();
        handler.Scope.Add(OpenIdConnectScope.OpenId);
        foreach (var scope in oidc.Scopes.Count == 0 ? ["profile"] : oidc.Scopes)
        {
            if (!handler.Scope.Contains(scope))
                handler.Scope.Add(scope);
        }
        handler.Events.OnTokenValidated = AddLoginKey;
        handler.Events.OnRemoteFailure = RefuseAsync;
    }

    /// <summary>Identity keys the external login (AspNetUserLogins) by the name identifier claim: the token's subject.</summary>
    private static Task AddLoginKey(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(ClaimTypes.NameIdentifier) is null
            && identity.FindFirst("sub") is { } subject)
            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject.Value, subject.ValueType, subject.Issuer));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A wrong issuer, signature, nonce or state, an error from the provider, or an expired attempt: back to the login
    /// page with a message instead of an exception page, audited. The reason is the handler's message (IdentityModel
    /// hides token contents in it).
    /// </summary>
    private static async Task RefuseAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var reason = context.Failure?.Message ?? "unknown";
        context.HttpContext.RequestServices.GetRequiredService<ILogger<OidcSignIn>>()
            .LogWarning("A sign-in through the identity provider was refused: {Reason}", reason);
        await context.HttpContext.RequestServices.GetRequiredService<OidcSignIn>().RecordRefusalAsync(context.HttpContext, reason);
        context.Response.Redirect(OidcEndpoints.FailureUrl(OidcSignInFailure.Refused));
    }
}
