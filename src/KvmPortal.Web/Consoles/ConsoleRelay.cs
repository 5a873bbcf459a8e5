namespace KvmPortal.Web.Consoles;

/// <summary>
/// Runs the two directions of a console session until one of them ends, then stops the other; the ending side
/// says why the session ended. Used by the VNC and the serial relay alike.
/// </summary>
internal static class ConsoleRelay
{
    public static async Task<string> RunAsync(Func<CancellationToken, Task<string>> toServer,
        Func<CancellationToken, Task<string>> toClient, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = toServer(stop.Token);
        var down = toClient(stop.Token);
        var first = await Task.WhenAny(up, down);
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        return first.IsCompletedSuccessfully ? first.Result : "connection error";
    }
}
