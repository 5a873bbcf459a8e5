using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>
/// The test server has no client address; a request carrying <see cref="Header"/> gets that address, as if it
/// came from there, before any of the app's middleware runs (forwarded headers, rate limits).
/// </summary>
internal sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address))
                context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}
