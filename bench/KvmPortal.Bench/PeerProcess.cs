using System.Diagnostics;
using System.Net.Sockets;

namespace KvmPortal.Bench;

/// <summary>
/// A peer relay (websockify, socat: Debian's packages) listening on a free loopback port, and the memory of its
/// whole process tree (both fork a process per connection).
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PeerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>websockify in front of 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static Task<PeerProcess> WebsockifyAsync(int targetPort)
    {
        var port = InProcessPortal.FreePort();
        return StartAsync("websockify", [$"127.0.0.1:{port}", $"127.0.0.1:{targetPort}"], port);
    }

    /// <summary>socat relaying TCP to 127.0.0.1:<paramref name="targetPort"/> with 64 KiB buffers, a process per connection.</summary>
    public static Task<PeerProcess> SocatAsync(int targetPort)
    {
        var port = InProcessPortal.FreePort();
        return StartAsync("socat", ["-b65536", $"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,backlog=512", $"TCP:127.0.0.1:{targetPort},nodelay"], port);
    }

    private static async Task<PeerProcess> StartAsync(string program, string[] arguments, int port)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                // A probe connection is one the peer forks for; it ends at once.
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return new PeerProcess(process, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The proportional set size (Pss: shared pages divided among their users) of the process and all its descendants.</summary>
    public long TreeMemoryBytes() => Descendants(_process.Id).Prepend(_process.Id).Sum(Pss);

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new List<int>();
        foreach (var task in SafeList(() => Directory.GetDirectories($"/proc/{pid}/task")))
            foreach (var child in SafeRead($"{task}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                children.Add(int.Parse(child));
        return children.Concat(children.SelectMany(Descendants));
    }

    private static long Pss(int pid)
    {
        var line = SafeRead($"/proc/{pid}/smaps_rollup").Split('\n').FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    // A process may end while it is being read.
    private static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static string[] SafeList(Func<string[]> list)
    {
        try { return list(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
