using System.Diagnostics;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Bench;

/// <summary>
/// The VNC console proxy (the real web app, in process) against websockify, in front of the same VNC server:
/// the demo VM's. The same RFB client drives both: connection set-up (WebSocket + RFB handshake), bulk
/// throughput of full-screen raw updates, and the round trip of a small request. Printed as ratios
/// KvmPortal/websockify. Needs PostgreSQL (KVMPORTAL_TEST_DB, which bench/run.sh sets) and the running demo VM.
/// </summary>
public static class ConsoleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchOptions.Int(args, "--runs", 3);
        var frames = BenchOptions.Int(args, "--frames", 60);
        var roundTrips = BenchOptions.Int(args, "--round-trips", 500);
        var connects = BenchOptions.Int(args, "--connects", 20);
        var vmName = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") ?? "kvmportal-demo";
        var server = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: bench/run.sh sets it after starting PostgreSQL.");

        await using var portal = await InProcessPortal.StartAsync(server);
        var vm = await portal.FindRunningVmAsync(vmName);
        var (userId, cookie) = await portal.AdministratorCookieAsync();
        var vnc = await portal.LocateVncAsync(vm);
        await using var websockify = await Websockify.StartAsync(vnc);
        var target = vnc.SocketPath ?? $"{vnc.Address}:{vnc.Port}";
        Console.WriteLine($"console: VNC of {vmName} at {target}; {connects} connects, best of {runs} x {frames} full frames, {roundTrips} round trips, per proxy");

        var ours = new Proxy("KvmPortal", async () => new Uri(portal.BaseUrl.Replace("http://", "ws://") + "/consoles/vnc?ticket=" + await portal.IssueTicketAsync(userId, vm)), portal.BaseUrl, cookie);
        var theirs = new Proxy("websockify", () => Task.FromResult(websockify.Url), null, null);

        var setUp = new Dictionary<Proxy, List<double>> { [ours] = [], [theirs] = [] };
        for (var i = 0; i < connects; i++)
        {
            foreach (var proxy in new[] { ours, theirs })
            {
                var (client, elapsed) = await proxy.ConnectAsync();
                await client.DisposeAsync();
                setUp[proxy].Add(elapsed.TotalMilliseconds);
            }
        }

        var throughput = new Dictionary<Proxy, double> { [ours] = 0, [theirs] = 0 };
        var latency = new Dictionary<Proxy, List<double>> { [ours] = [], [theirs] = [] };
        (int Width, int Height) screen = default;
        for (var run = 0; run < runs; run++)
        {
            foreach (var proxy in new[] { ours, theirs })
            {
                var (client, _) = await proxy.ConnectAsync();
                await using (client)
                {
                    screen = (client.Width, client.Height);
                    await client.FullFrameAsync(); // warm-up
                    var start = client.RawBytes;
                    var clock = Stopwatch.StartNew();
                    for (var f = 0; f < frames; f++) await client.FullFrameAsync();
                    throughput[proxy] = Math.Max(throughput[proxy], (client.RawBytes - start) / clock.Elapsed.TotalSeconds / (1 << 20));
                    for (var r = 0; r < roundTrips / runs; r++) latency[proxy].Add((await client.RoundTripAsync()).TotalMilliseconds);
                }
            }
        }

        Console.WriteLine($"screen {screen.Width}x{screen.Height}, {frames} frames of {screen.Width * screen.Height * 4 / 1024} KiB (raw, 32 bpp) per run");
        Console.WriteLine($"{"",-12}{"set-up p50",12}{"throughput",14}{"RTT p50",10}{"RTT p99",10}");
        foreach (var proxy in new[] { ours, theirs })
            Console.WriteLine($"{proxy.Name,-12}{Percentile(setUp[proxy], 50),9:F2} ms{throughput[proxy],9:F1} MiB/s{Percentile(latency[proxy], 50),7:F3} ms{Percentile(latency[proxy], 99),7:F3} ms");
        Console.WriteLine($"ratios KvmPortal/websockify: throughput {throughput[ours] / throughput[theirs]:F2} (higher is better), " +
            $"set-up {Percentile(setUp[ours], 50) / Percentile(setUp[theirs], 50):F2}, " +
            $"RTT p50 {Percentile(latency[ours], 50) / Percentile(latency[theirs], 50):F2}, p99 {Percentile(latency[ours], 99) / Percentile(latency[theirs], 99):F2} (lower is better)");
        return 0;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private sealed record Proxy(string Name, Func<Task<Uri>> Url, string? Origin, string? Cookie)
    {
        public async Task<(RfbBenchClient Client, TimeSpan SetUp)> ConnectAsync() => await RfbBenchClient.ConnectAsync(await Url(), Origin, Cookie);
    }
}
