using System.Net.WebSockets;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The part of a console connection after the target is open, the same for every kind: accept the WebSocket,
/// record the session in the registry, relay until one side ends or an administrator disconnects, and record
/// how it ended.
/// </summary>
internal static class ConsoleProxySession
{
    /// <summary>
    /// Starts writing the session's record as soon as the connection is admitted, to run while the proxy reaches the VM;
    /// <see cref="RunAsync"/> opens it, or the endpoint abandons it when the VM cannot be reached.
    /// </summary>
    public static ConsoleRecording BeginRecording(ConsoleAdmission admission, ConsoleSessions sessions, IInventory inventory)
    {
        var target = admission.Target;
        var vmName = inventory.Current.Vms.TryGetValue(new VmKey(target.HostId, target.DomainUuid), out var info) ? info.Name : target.DomainUuid.ToString();
        return sessions.BeginRecording(admission.UserId, admission.UserName, target, vmName);
    }

    /// <summary>Runs <paramref name="relay"/> (the browser's end, counters, stop token -> why it ended) as a registered session.</summary>
    public static async Task RunAsync(HttpContext context, ConsoleAdmission admission, ConsoleRecording recording,
        ConsoleSessions sessions, ILogger logger, Func<ConsoleClient, RelayCounters, CancellationToken, Task<string>> relay)
    {
        var (userId, _, target, _) = admission;
        var accept = new WebSocketAcceptContext { SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null };
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(accept);
        }
        catch (Exception)
        {
            await sessions.AbandonAsync(recording);
            throw;
        }
        await using var client = new ConsoleClient(socket);
        var counters = new RelayCounters();
        // The relay starts while the record is still being written; a session that cannot be recorded is ended at once.
        var session = sessions.Register(recording.Record, counters, context.RequestAborted);
        _ = EndIfUnrecordedAsync(recording, session, sessions, logger);
        var vmName = session.VmName;
        session.SourceIp = SourceAddress.Of(context);
        logger.LogInformation("{Kind} console of VM {Vm} opened by user {User} ({Mode})", target.Kind, vmName, userId, target.Mode);
        var ended = "connection error";
        try
        {
            ended = await relay(client, counters, session.Disconnect.Token);
        }
        catch (Exception e) when (e is RfbHandshakeException or IOException or WebSocketException or OperationCanceledException)
        {
            ended = e.Message;
        }
        finally
        {
            if (session.StoppedBecause is { } reason)
            {
                ended = reason;
                await TellClientAsync(socket, reason);
            }
            logger.LogInformation("{Kind} console of VM {Vm} for user {User} ended: {Reason}; {ToClient} bytes to the browser, {ToServer} to the VM",
                target.Kind, vmName, userId, ended, counters.ToClient, counters.ToServer);
            await recording.WasSavedAsync(); // the end is written over the start
            await sessions.EndAsync(session, ended);
        }
    }

    private static async Task EndIfUnrecordedAsync(ConsoleRecording recording, LiveConsoleSession session, ConsoleSessions sessions, ILogger logger)
    {
        if (await recording.WasSavedAsync()) return;
        logger.LogError("{Kind} console of VM {Vm} for user {User} ended: its session record could not be written", session.Kind, session.VmName, session.UserId);
        sessions.EndUnrecorded(session.Id);
    }

    /// <summary>Closes the WebSocket saying why the dashboard ended the session (the close reason holds at most 123 bytes).</summary>
    private static async Task TellClientAsync(WebSocket socket, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason.Length > 100 ? reason[..100] : reason, patience.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser is gone already; the session ends all the same.
        }
    }
}
