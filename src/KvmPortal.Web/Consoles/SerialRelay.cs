namespace KvmPortal.Web.Consoles;

/// <summary>
/// Carries a serial console session: the guest's output to the browser as binary frames, the browser's keys
/// to the guest, except in a view-only session, where the proxy drops them whatever the page does.
/// </summary>
internal static class SerialRelay
{
    private const int BufferSize = 16 * 1024;

    public static Task<string> RunAsync(ConsoleClient client, SerialConsoleViewer console, ConsoleMode mode,
        RelayCounters counters, CancellationToken cancellationToken) =>
        ConsoleRelay.RunAsync(client,
            stop => ClientToGuestAsync(client.Stream, console, mode, counters, stop),
            stop => GuestToClientAsync(console, client.Stream, counters, stop),
            cancellationToken);

    private static async Task<string> ClientToGuestAsync(Stream client, SerialConsoleViewer console, ConsoleMode mode,
        RelayCounters counters, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var read = await client.ReadAsync(buffer, cancellationToken);
            if (read == 0) return "closed by the browser";
            if (mode == ConsoleMode.ViewOnly) continue;
            await console.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            counters.AddToServer(read);
        }
    }

    private static async Task<string> GuestToClientAsync(SerialConsoleViewer console, Stream client, RelayCounters counters,
        CancellationToken cancellationToken)
    {
        await foreach (var chunk in console.ReadAllAsync(cancellationToken))
        {
            await client.WriteAsync(chunk, cancellationToken);
            counters.AddToClient(chunk.Length);
        }
        return console.EndReason ?? "closed by the guest";
    }
}
