using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace KvmPortal.Web.Observability;

public sealed class MetricsOptions
{
    /// <summary>
    /// When set, /metrics requires "Authorization: Bearer &lt;token&gt;" from any address; when empty, only loopback
    /// clients may scrape it.
    /// </summary>
    public string? Token { get; set; }
}

/// <summary>Who may read /metrics: loopback callers, or anyone presenting the configured token.</summary>
public static class MetricsAccess
{
    public static bool IsAllowed(HttpContext context, MetricsOptions options)
    {
        if (options.Token is { Length: > 0 } token)
            return context.Request.Headers.Authorization.ToString() is var header
                && header.StartsWith("Bearer ", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(token));
        return context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
    }
}
