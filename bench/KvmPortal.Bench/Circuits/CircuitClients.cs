using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// The headless circuits as a child process (this benchmark's own executable, <see cref="CircuitClientsCommand"/>),
/// so that none of the clients' memory or sockets count as the server's.
/// </summary>
internal sealed class CircuitClients : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private CircuitClients(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.Writer.TryComplete();
            else _lines.Writer.TryWrite(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Console.Error.WriteLine("  [clients] " + e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the process and waits until all <paramref name="count"/> circuits are open; the seconds that took.</summary>
    public static async Task<(CircuitClients Clients, double Seconds)> OpenAsync(string baseUrl, string path, string cookie, int count, int parallelism)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's executable is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [CircuitClientsCommand.CookieVariable] = cookie },
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in new[] { CircuitClientsCommand.Name, baseUrl, path, count.ToString(), parallelism.ToString() })
            start.ArgumentList.Add(argument);
        var clients = new CircuitClients(Process.Start(start) ?? throw new InvalidOperationException("Could not start the circuit clients."));
        var opened = await clients.ExpectAsync("opened", TimeSpan.FromMinutes(10));
        return (clients, double.Parse(opened));
    }

    /// <summary>Arms every circuit; the returned task completes with the timestamps of their next batch containing <paramref name="text"/>.</summary>
    public async Task<Task<long[]>> WatchAsync(string text)
    {
        await SendAsync("watch " + text);
        await ExpectAsync("armed", TimeSpan.FromSeconds(30));
        return SeenAsync();
    }

    /// <summary>Render batches received and JS interop calls answered, over all circuits.</summary>
    public async Task<string> StatsAsync()
    {
        await SendAsync("stats");
        return await ExpectAsync("stats", TimeSpan.FromSeconds(30));
    }

    private async Task<long[]> SeenAsync()
    {
        var seen = await ExpectAsync("seen", TimeSpan.FromSeconds(90));
        return seen.Split(' ').Select(long.Parse).ToArray();
    }

    private async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The rest of the next line, which must start with <paramref name="word"/>.</summary>
    private async Task<string> ExpectAsync(string word, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        string line;
        try
        {
            line = await _lines.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The circuit clients exited (code {(_process.WaitForExit(5000) ? _process.ExitCode : -1)}) before answering '{word}'.");
        }
        if (line.StartsWith("error ", StringComparison.Ordinal))
            throw new InvalidOperationException("The circuit clients failed: " + line["error ".Length..].Replace(" | ", Environment.NewLine));
        if (line != word && !line.StartsWith(word + " ", StringComparison.Ordinal))
            throw new InvalidOperationException($"The circuit clients answered '{line}' instead of '{word}'.");
        return line[word.Length..].TrimStart();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SendAsync("quit");
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }
}
