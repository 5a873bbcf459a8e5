using System.Buffers;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// Carries an RFB session after both handshakes: the client's messages through the view-only filter to the
/// server, the server's bytes unchanged to the client. Whatever one side sent before it closed is delivered
/// before the other side is closed, so no stream is cut short.
/// </summary>
internal static class VncRelay
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs until either side closes or the client misbehaves; returns why the session ended.</summary>
    public static Task<string> RunAsync(Stream client, Stream server, RfbClientMessageFilter filter,
        RelayCounters counters, CancellationToken cancellationToken) =>
        ConsoleRelay.RunAsync(
            stop => ClientToServerAsync(client, server, filter, counters, stop),
            stop => ServerToClientAsync(server, client, counters, stop),
            cancellationToken);

    private static async Task<string> ClientToServerAsync(Stream client, Stream server, RfbClientMessageFilter filter,
        RelayCounters counters, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        var forward = new ArrayBufferWriter<byte>(BufferSize);
        var clientInitSent = false;
        while (true)
        {
            var read = await client.ReadAsync(buffer, cancellationToken);
            if (read == 0) return "closed by the browser";
            var chunk = buffer.AsMemory(0, read);
            if (!clientInitSent)
            {
                // ClientInit (one byte, the shared flag) precedes the message stream the filter parses.
                forward.Write(chunk.Span[..1]);
                chunk = chunk[1..];
                clientInitSent = true;
            }
            var result = filter.Process(chunk.Span, forward);
            if (forward.WrittenCount > 0)
            {
                await server.WriteAsync(forward.WrittenMemory, cancellationToken);
                counters.AddToServer(forward.WrittenCount);
                forward.ResetWrittenCount();
            }
            if (result == RfbFilterResult.Malformed) return "malformed RFB from the browser";
        }
    }

    private static async Task<string> ServerToClientAsync(Stream server, Stream client, RelayCounters counters, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var read = await server.ReadAsync(buffer, cancellationToken);
            if (read == 0) return "closed by the VNC server";
            await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            counters.AddToClient(read);
        }
    }
}
