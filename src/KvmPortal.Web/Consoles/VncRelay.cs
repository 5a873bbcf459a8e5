using System.Buffers;
using System.Net.Sockets;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// Carries an RFB session after both handshakes: the client's messages through the view-only filter to the
/// server, the server's bytes unchanged to the client. Whatever the server sent before it closed is delivered
/// before the browser's side is closed, so no stream is cut short. Large buffers come from the shared pool and are
/// held only while data flows: an idle session waits with a zero-byte read on the server and a small buffer on the browser.
/// </summary>
internal static class VncRelay
{
    private const int BufferSize = 256 * 1024;
    private const int IdleBufferSize = 256;

    /// <summary>Runs until either side closes or the client misbehaves; returns why the session ended.</summary>
    public static Task<string> RunAsync(ConsoleClient client, Stream server, RfbClientMessageFilter filter,
        RelayCounters counters, CancellationToken cancellationToken) =>
        ConsoleRelay.RunAsync(client,
            stop => ClientToServerAsync(client.Stream, server, filter, counters, stop),
            stop => ServerToClientAsync(server, client.Stream, counters, stop),
            cancellationToken);

    private static async Task<string> ClientToServerAsync(Stream client, Stream server, RfbClientMessageFilter filter,
        RelayCounters counters, CancellationToken cancellationToken)
    {
        var idle = new byte[IdleBufferSize];
        using var forward = new RentedBufferWriter();
        var clientInitSent = false;
        while (true)
        {
            // Wait with the small buffer; a read that fills it means more is coming, read on with a large one.
            var buffer = idle;
            var rented = false;
            try
            {
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
                    }
                    forward.Release();
                    if (result == RfbFilterResult.Malformed) return "malformed RFB from the browser";
                    if (read < buffer.Length) break;
                    if (!rented)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                        rented = true;
                    }
                }
            }
            finally
            {
                if (rented) ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task<string> ServerToClientAsync(Stream server, Stream client, RelayCounters counters, CancellationToken cancellationToken)
    {
        while (true)
        {
            _ = await server.ReadAsync(Memory<byte>.Empty, cancellationToken); // a zero-byte read: returns once data (or the end) is there
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                // Keep the buffer while more is already waiting (a bulk update streaming); give it back when the server pauses.
                do
                {
                    var read = await server.ReadAsync(buffer, cancellationToken);
                    if (read == 0) return "closed by the VNC server";
                    await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    counters.AddToClient(read);
                }
                while (server is NetworkStream { DataAvailable: true });
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
