using System.Security.Cryptography;
using KvmPortal.Web.Oidc;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts only from this origin plus the
/// one inline script Blazor writes (the import map), which carries a per-request nonce; styles may be inline
/// because MudBlazor and xterm.js set style attributes; connections go to this origin and WebSockets (SignalR and
/// the console proxies); forms post to this origin only, and to the identity provider when one is configured (the
/// single sign-on button's post is redirected there, and browsers apply form-action to that redirect); nothing may
/// frame the app.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "KvmPortal.CspNonce";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), fullscreen=(self)";

    /// <param name="identityProvider">The identity provider's origin (scheme, host, port), when one is configured.</param>
    public static string ContentSecurityPolicy(string nonce, string? identityProvider = null) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        $"form-action 'self'{(identityProvider is null ? "" : " " + identityProvider)}; " +
        "frame-ancestors 'none'";

    /// <summary>The nonce of this request's policy, for an inline script the page must run.</summary>
    public static string Nonce(HttpContext context) =>
        context.Items[NonceItem] as string ?? throw new InvalidOperationException("UseSecurityHeaders() is not in the pipeline.");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var oidc = app.ApplicationServices.GetRequiredService<IOptions<OidcOptions>>().Value;
        var identityProvider = oidc.Enabled ? new Uri(oidc.Authority!).GetLeftPart(UriPartial.Authority) : null;
        return app.Use((context, next) => AddHeaders(context, next, identityProvider));
    }

    private static Task AddHeaders(HttpContext context, RequestDelegate next, string? identityProvider)
    {
        // Hex, not base64: the page writes the nonce HTML-encoded, and a "+" would come out as "&#x2B;".
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceItem] = nonce;
        // Set as the response starts: the exception handler clears headers set earlier when it renders the error page.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce, identityProvider);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
