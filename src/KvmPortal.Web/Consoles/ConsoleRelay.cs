namespace KvmPortal.Web.Consoles;

/// <summary>
/// Runs the two directions of a console session until one of them ends, then stops the other; the ending side
/// says why the session ended. Used by the VNC and the serial relay alike.
/// </summary>
internal static class ConsoleRelay
{
    /// <summary>How long the browser has to answer our close before its side is cut.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    public static async Task<string> RunAsync(ConsoleClient client, Func<CancellationToken, Task<string>> toServer,
        Func<CancellationToken, Task<string>> toClient, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = toServer(stop.Token);
        var down = toClient(stop.Token);
        var first = await Task.WhenAny(up, down);
        if (first == down && down.IsCompletedSuccessfully)
            await CloseClientAsync(client, down.Result, up, cancellationToken);
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
        }
        return first.IsCompletedSuccessfully ? first.Result : "connection error";
    }

    /// <summary>
    /// The server's side ended after everything it sent was written to the browser; but written is not yet delivered
    /// (it may still sit in the web server's output buffer), and cancelling the browser's side now would abort the
    /// connection and drop that tail. So close the WebSocket behind the data and wait for the browser's answer.
    /// </summary>
    private static async Task CloseClientAsync(ConsoleClient client, string reason, Task fromClient, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(CloseGrace);
        try
        {
            await client.CloseAsync(reason, patience.Token);
            await fromClient.WaitAsync(patience.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // The browser went away or did not answer in time: its side is cut now.
        }
    }
}
