using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KvmPortal.Bench.Circuits;
using KvmPortal.EndToEnd.Tests;

namespace KvmPortal.Bench;

/// <summary>
/// A soak test of the real app as its own process (so its memory is the server's alone) on the demo host: N headless
/// circuits on the VM list (which re-renders with every stats round) and M consoles of the demo VM, each a headless
/// circuit on the console page (which issues the ticket) plus an RFB client on the proxy asking for a full frame every
/// 2 s, for some minutes. Counts errors (circuits that closed or failed, consoles that ended or stalled, non-2xx
/// answers, error lines in the app's log) and samples the server's working set and managed heap every 30 s from its
/// /metrics. Prints memory after warm-up and at the end, the slope, and the cost of one circuit and one console.
/// The heap figure is GC.GetTotalMemory without a collection (all /metrics can tell), a sawtooth: compare its peaks.
/// The app inherits this process's environment, so DOTNET_gcServer=0 compares workstation with server GC (the
/// default), whose heap grows lazily towards its budget: a rising server-GC figure alone does not prove a leak.
/// </summary>
public static class LoadBenchmark
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FrameEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string[] args)
    {
        var circuitCount = BenchOptions.Int(args, "--circuits", 100);
        var consoleCount = BenchOptions.Int(args, "--consoles", 20);
        var minutes = BenchOptions.Int(args, "--minutes", 10);
        var vmName = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") ?? "kvmportal-demo";

        await using var portal = await RunningPortal.StartAsync(new Dictionary<string, string>
        {
            ["Consoles__MaxSessionsPerUser"] = consoleCount.ToString(CultureInfo.InvariantCulture),
        });
        var cookie = await LoginForm.SignInAsync(portal.BaseUrl, portal.AdminUser, portal.AdminPassword);
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        var errors = new List<string>();
        Console.WriteLine($"load: {circuitCount} circuits on /vms, {consoleCount} consoles of {vmName} (a full frame each every {FrameEvery.TotalSeconds:F0} s), {minutes} min; " +
            $"stats every 2 s; load average {LoadAverage()}");

        var consolePath = await ConsolePathAsync(http, vmName);
        await Task.Delay(Settle);
        var idle = await MemoryAsync(http);
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var circuits = new List<HeadlessCircuit>();
        while (circuits.Count < circuitCount)
            circuits.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(10, circuitCount - circuits.Count))
                .Select(_ => HeadlessCircuit.OpenAsync(http, portal.BaseUrl, "/vms", cookie, patience.Token))));
        await Task.Delay(Settle);
        var withCircuits = await MemoryAsync(http);

        var consoles = new List<LoadConsole>();
        for (var i = 0; i < consoleCount; i++)
            // One full session; the others watch (a second full session would first be asked to share, as in a browser).
            consoles.Add(await LoadConsole.OpenAsync(http, portal.BaseUrl, cookie, consolePath + (i == 0 ? "" : "?mode=view"), patience.Token));
        await Task.Delay(Settle);
        var withConsoles = await MemoryAsync(http);
        Console.WriteLine($"  idle {Mib(idle.WorkingSet):F0} MiB working set / {Mib(idle.Heap):F0} MiB heap; with circuits {Mib(withCircuits.WorkingSet):F0} / {Mib(withCircuits.Heap):F0}; " +
            $"with consoles {Mib(withConsoles.WorkingSet):F0} / {Mib(withConsoles.Heap):F0}");

        using var stop = new CancellationTokenSource();
        var framing = consoles.Select(c => c.RequestFramesAsync(FrameEvery, stop.Token)).ToList();
        var samples = new List<(double Minute, Memory Memory)>();
        var clock = Stopwatch.StartNew();
        var batchesBefore = circuits.Sum(c => c.RenderBatches);
        var stalled = 0;
        while (true)
        {
            var memory = await MemoryAsync(http, errors);
            samples.Add((clock.Elapsed.TotalMinutes, memory));
            var batches = circuits.Select(c => c.RenderBatches).ToList();
            Console.WriteLine($"  {clock.Elapsed:mm\\:ss} working set {Mib(memory.WorkingSet),6:F1} MiB, heap {Mib(memory.Heap),6:F1} MiB, " +
                $"render batches {batches.Sum() - batchesBefore}, frames {consoles.Sum(c => c.Frames)}, load average {LoadAverage()}");
            if (clock.Elapsed >= TimeSpan.FromMinutes(minutes)) break;
            var window = circuits.Select(c => c.RenderBatches).ToList();
            await Task.Delay(SampleEvery);
            stalled += circuits.Where((c, i) => c.RenderBatches == window[i] && c.Failure is null).Count();
        }
        await stop.CancelAsync();
        await Task.WhenAll(framing);

        errors.AddRange(circuits.Where(c => c.Failure is not null).Select(c => "circuit: " + c.Failure!.Message + " " + c.Failure.InnerException?.Message));
        errors.AddRange(consoles.Where(c => c.Failure is not null).Select(c => $"console: {c.Failure!.Message} (after {c.Frames} frames)"));
        var logErrors = portal.Output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        errors.AddRange(logErrors.Select(line => "app log: " + line.Trim()));
        var appLog = Path.Combine(Path.GetTempPath(), $"kvmportal-load-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        await File.WriteAllTextAsync(appLog, portal.Output);
        Console.WriteLine($"the app's log: {appLog} ({portal.Output.Split('\n').Count(line => line.StartsWith("warn:", StringComparison.Ordinal))} warnings)");
        var first = samples[0].Memory;
        var last = samples[^1].Memory;
        Console.WriteLine($"errors {errors.Count}: {circuits.Count(c => c.Failure is not null)} circuits failed, {consoles.Count(c => c.Failure is not null)} consoles failed, " +
            $"{logErrors.Count} error lines in the app log; {stalled} circuit-windows of {SampleEvery.TotalSeconds:F0} s without a render batch (not counted as errors)");
        foreach (var error in errors.Take(10)) Console.WriteLine("  " + error);
        Console.WriteLine($"memory after warm-up {Mib(first.WorkingSet):F1} MiB working set / {Mib(first.Heap):F1} MiB heap; " +
            $"after {clock.Elapsed.TotalMinutes:F1} min {Mib(last.WorkingSet):F1} / {Mib(last.Heap):F1}; " +
            $"slope {Slope(samples, m => m.WorkingSet):F2} / {Slope(samples, m => m.Heap):F2} MiB/min");
        Console.WriteLine($"per circuit {(withCircuits.WorkingSet - idle.WorkingSet) / circuitCount / 1024.0:F0} KiB working set, {(withCircuits.Heap - idle.Heap) / circuitCount / 1024.0:F0} KiB heap; " +
            $"per console (its page's circuit + proxy) {(withConsoles.WorkingSet - withCircuits.WorkingSet) / consoleCount / 1024.0:F0} KiB, {(withConsoles.Heap - withCircuits.Heap) / consoleCount / 1024.0:F0} KiB; " +
            $"{(circuits.Sum(c => c.RenderBatches) - batchesBefore) / (double)circuitCount / clock.Elapsed.TotalMinutes:F1} render batches per circuit per minute, " +
            $"{consoles.Sum(c => c.Frames) / (double)consoleCount / clock.Elapsed.TotalMinutes:F1} frames per console per minute; load average {LoadAverage()}");

        foreach (var console in consoles) await console.DisposeAsync();
        foreach (var circuit in circuits) await circuit.DisposeAsync();
        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>The demo VM's console page, found in the VM list as a browser would (once the inventory has it).</summary>
    private static async Task<string> ConsolePathAsync(HttpClient http, string vmName)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var html = await http.GetStringAsync("/vms");
            if (Regex.Match(html, $"data-vm=\"{Regex.Escape(vmName)}\".*?href=\"(vms/[0-9a-f-]{{36}}/[0-9a-f-]{{36}})\"", RegexOptions.Singleline) is { Success: true } link)
                return "/" + link.Groups[1].Value + "/console";
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{vmName} did not appear in the VM list within 60 s.");
            await Task.Delay(500);
        }
    }

    private sealed record Memory(long WorkingSet, long Heap);

    /// <summary>The server's working set and managed heap (GC.GetTotalMemory without a collection), from its /metrics.</summary>
    private static async Task<Memory> MemoryAsync(HttpClient http, List<string>? errors = null)
    {
        using var response = await http.GetAsync("/metrics");
        if (!response.IsSuccessStatusCode)
        {
            errors?.Add($"/metrics answered {(int)response.StatusCode}");
            return new Memory(0, 0);
        }
        var text = await response.Content.ReadAsStringAsync();
        return new Memory(Gauge(text, "process_working_set_bytes"), Gauge(text, "dotnet_total_memory_bytes"));
    }

    private static long Gauge(string metrics, string name) =>
        Regex.Match(metrics, $"^{name} (\\S+)$", RegexOptions.Multiline) is { Success: true } match
            ? (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"/metrics has no {name}");

    /// <summary>Least-squares slope in MiB per minute.</summary>
    private static double Slope(List<(double Minute, Memory Memory)> samples, Func<Memory, long> value)
    {
        if (samples.Count < 2) return 0;
        var mx = samples.Average(s => s.Minute);
        var my = samples.Average(s => Mib(value(s.Memory)));
        return samples.Sum(s => (s.Minute - mx) * (Mib(value(s.Memory)) - my)) / samples.Sum(s => (s.Minute - mx) * (s.Minute - mx));
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>One console as a browser tab has it: the console page's circuit (which issues the ticket) and the RFB session on the proxy.</summary>
    private sealed class LoadConsole(HeadlessCircuit page, VncFrameClient rfb) : IAsyncDisposable
    {
        private Exception? _failure;
        public long Frames;

        public Exception? Failure => _failure ?? page.Failure;

        public static async Task<LoadConsole> OpenAsync(HttpClient http, string baseUrl, string cookie, string path, CancellationToken cancellationToken)
        {
            var ticket = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            // The page hands the ticket to its script: connect(screen, proxy path, ticket, view-only, callbacks).
            var page = await HeadlessCircuit.OpenAsync(http, baseUrl, path, cookie, cancellationToken, (identifier, argsJson) =>
            {
                if (identifier == "connect" && JsonNode.Parse(argsJson) is JsonArray { Count: >= 3 } args && args[2]?.GetValue<string>() is { } token)
                    ticket.TrySetResult(token);
            });
            var url = new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/consoles/vnc?ticket="
                + Uri.EscapeDataString(await ticket.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)));
            var (rfb, _) = await VncFrameClient.ConnectAsync(url, baseUrl, cookie);
            return new LoadConsole(page, rfb);
        }

        /// <summary>Asks for a full frame every <paramref name="every"/> and waits for it (30 s at most) until stopped or failed.</summary>
        public async Task RequestFramesAsync(TimeSpan every, CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await rfb.FullFrameAsync().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
                    Interlocked.Increment(ref Frames);
                    await Task.Delay(every, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await rfb.DisposeAsync();
            await page.DisposeAsync();
        }
    }
}
