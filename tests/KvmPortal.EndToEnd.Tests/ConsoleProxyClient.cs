using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>Talks to the console proxies the way a crafted client would: with tickets taken from the real pages.</summary>
internal static class ConsoleProxyClient
{
    /// <summary>Opens <paramref name="path"/>, takes the ticket URL its page hands to <paramref name="proxyPath"/> before it connects, and leaves.</summary>
    public static async Task<Uri> CaptureTicketUrlAsync(IPage page, RunningPortal portal, string path, string proxyPath)
    {
        var captured = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteWebSocketAsync(new Regex(Regex.Escape(proxyPath)), socket => captured.TrySetResult(socket.Url));
        await page.GotoAsync(new Uri(new Uri(portal.BaseUrl + "/"), path).ToString());
        var url = await captured.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await page.UnrouteAllAsync();
        await page.GotoAsync(portal.BaseUrl + "/hosts");
        return new Uri(url);
    }

    public static async Task<string> CookieAsync(IPage page) =>
        string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

    /// <summary>Connects with the given cookie and Origin; the caller owns the socket.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri proxy, string cookie, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.SetRequestHeader("Cookie", cookie);
        await socket.ConnectAsync(proxy, CancellationToken.None);
        return socket;
    }

    /// <summary>The HTTP status of the WebSocket handshake (101 when accepted).</summary>
    public static async Task<HttpStatusCode> HandshakeStatusAsync(Uri proxy, string? cookie, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        try
        {
            await socket.ConnectAsync(proxy, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }
}
