using System.Net.WebSockets;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The browser's end of a console session: a byte stream over the WebSocket's binary messages, and its orderly close.
/// </summary>
internal sealed class ConsoleClient(WebSocket socket) : IAsyncDisposable
{
    public Stream Stream { get; } = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);

    /// <summary>
    /// Sends the WebSocket close frame, which queues behind everything written before it, so the browser receives all
    /// of that before the close. The browser's close answer then ends the stream's reads.
    /// </summary>
    public async Task CloseAsync(string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason.Length > 100 ? reason[..100] : reason, cancellationToken);
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
