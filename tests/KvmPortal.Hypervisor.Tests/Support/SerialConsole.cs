using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// The guest's ttyS0 through the pty QEMU exposes on the host (as deploy/lib/libvirt.sh check_demo_serial does):
/// raw mode, a reader thread collecting everything, and waits for a pattern.
/// </summary>
public sealed class SerialConsole : IDisposable
{
    private readonly FileStream _pty;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _received = new(0);

    public SerialConsole(string ptyPath)
    {
        Run("stty", "-F", ptyPath, "raw", "-echo");
        _pty = new FileStream(ptyPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        new Thread(ReadLoop) { IsBackground = true, Name = "serial-" + Path.GetFileName(ptyPath) }.Start();
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Types <paramref name="command"/> until the output after it matches, or fails after the timeout.</summary>
    public async Task<Match> RunUntilAsync(string command, Regex expected, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            int start;
            lock (_output) start = _output.Length;
            var bytes = Encoding.ASCII.GetBytes("\r" + command + "\r");
            _pty.Write(bytes);
            _pty.Flush();
            var retry = Stopwatch.StartNew();
            while (retry.Elapsed < TimeSpan.FromSeconds(3) && deadline.Elapsed < timeout)
            {
                string text;
                lock (_output) text = _output.ToString(start, _output.Length - start);
                var match = expected.Match(text);
                if (match.Success) return match;
                await _received.WaitAsync(TimeSpan.FromMilliseconds(500));
            }
        }
        throw new TimeoutException($"No output matching {expected} after '{command}' within {timeout}. Serial output:\n{Tail(Output)}");
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = _pty.Read(buffer);
                if (read <= 0) return;
                lock (_output) _output.Append(Encoding.UTF8.GetString(buffer, 0, read));
                _received.Release();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // QEMU closed the pty (the VM stopped) or we did.
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit();
    }

    public void Dispose() => _pty.Dispose();
}
