using System.Net;

namespace KvmPortal.Web.Hosting;

/// <summary>
/// The "ForwardedHeaders" configuration section: which reverse proxies (besides this machine's loopback, always
/// trusted) may tell the app the client's address and scheme through X-Forwarded-For and X-Forwarded-Proto.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. "10.0.0.5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. "10.0.0.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    internal IEnumerable<string> Problems() =>
        KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{Section}:KnownProxies '{p}' is not an IP address.")
            .Concat(KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _))
                .Select(n => $"{Section}:KnownNetworks '{n}' is not a network in CIDR notation (like 10.0.0.0/24)."));
}
