using System.Diagnostics;
using System.Net.Sockets;
using KvmPortal.Hypervisor.Consoles;

namespace KvmPortal.Bench;

/// <summary>websockify (Debian's package) in front of the same VNC server, on a free loopback port.</summary>
internal sealed class Websockify : IAsyncDisposable
{
    private readonly Process _process;

    private Websockify(Process process, int port)
    {
        _process = process;
        Url = new Uri($"ws://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    public static async Task<Websockify> StartAsync(VncEndpoint target)
    {
        var port = InProcessPortal.FreePort();
        string[] arguments = target.SocketPath is { } socket
            ? [$"127.0.0.1:{port}", "--unix-target", socket]
            : [$"127.0.0.1:{port}", $"{target.Address}:{target.Port}"];
        var start = new ProcessStartInfo("websockify", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("websockify did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return new Websockify(process, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
