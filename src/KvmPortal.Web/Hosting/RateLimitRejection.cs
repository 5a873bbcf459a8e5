using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using KvmPortal.Web.Resources;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Hosting;

/// <summary>The 429 answer: a short page for a person at the sign-in form, problem details for API clients.</summary>
internal static class RateLimitRejection
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitRejection).FullName!)
            .LogWarning("Rate limit reached for {Method} {Path} from {Address}", context.Request.Method, context.Request.Path,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(text["RateLimitApi", seconds], statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
            return;
        }
        var encoder = HtmlEncoder.Default;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="{encoder.Encode(System.Globalization.CultureInfo.CurrentUICulture.Name)}">
            <head><meta charset="utf-8"><title>{encoder.Encode(text["RateLimitTitle"])}</title></head>
            <body><h1>{encoder.Encode(text["RateLimitTitle"])}</h1>
            <p data-testid="rate-limited">{encoder.Encode(text["RateLimitSignIn", seconds])}</p>
            <p><a href="/account/login">{encoder.Encode(text["RateLimitBack"])}</a></p></body>
            </html>
            """, cancellationToken);
    }
}
