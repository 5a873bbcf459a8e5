using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

public static class ReverseProxyServiceCollectionExtensions
{
    /// <summary>
    /// Behind a TLS-terminating reverse proxy the app must see the client's scheme (so cookies get Secure and the
    /// console's same-origin check compares https with https) and address (so the sign-in rate limit counts per
    /// client, not per proxy). Headers are taken only from the proxies listed in configuration and loopback.
    /// </summary>
    public static IServiceCollection AddKvmPortalReverseProxy(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.Value.KnownProxies)
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.Value.KnownNetworks)
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }
}

/// <summary>A mistyped proxy address stops the start with the offending value instead of silently trusting nobody.</summary>
internal sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
