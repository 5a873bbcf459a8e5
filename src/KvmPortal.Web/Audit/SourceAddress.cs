namespace KvmPortal.Web.Audit;

/// <summary>The client address of a request as the audit log records it (the proxy's, unless forwarded headers are applied).</summary>
public static class SourceAddress
{
    public static string? Of(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
}
