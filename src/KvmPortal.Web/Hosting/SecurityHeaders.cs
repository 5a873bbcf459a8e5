using System.Security.Cryptography;

namespace KvmPortal.Web.Hosting;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts only from this origin plus the
/// one inline script Blazor writes (the import map), which carries a per-request nonce; styles may be inline
/// because MudBlazor and xterm.js set style attributes; connections go to this origin and WebSockets (SignalR and
/// the console proxies); nothing may frame the app.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "KvmPortal.CspNonce";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), fullscreen=(self)";

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>The nonce of this request's policy, for an inline script the page must run.</summary>
    public static string Nonce(HttpContext context) =>
        context.Items[NonceItem] as string ?? throw new InvalidOperationException("UseSecurityHeaders() is not in the pipeline.");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Hex, not base64: the page writes the nonce HTML-encoded, and a "+" would come out as "&#x2B;".
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceItem] = nonce;
        // Set as the response starts: the exception handler clears headers set earlier when it renders the error page.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
