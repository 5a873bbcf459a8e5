using System.Diagnostics;
using System.Xml.Linq;

namespace KvmPortal.Bench;

/// <summary>
/// The VNC console proxy (the real web app, in process, tickets in PostgreSQL) against websockify (Debian's package,
/// with numpy) and socat (a raw TCP relay with 64 KiB buffers, the floor), all in front of the same synthetic VNC
/// server in this process (<see cref="SyntheticVncServer"/>), which the proxy finds the legitimate way: as the VNC
/// display of a domain on a libvirt test-driver host. The same RFB client drives every path (over a WebSocket for the
/// two proxies, over TCP for socat and for the direct connection that is the latency baseline). Printed as ratios.
/// </summary>
public static class ConsoleBenchmark
{
    private const ushort Width = SyntheticVncServer.Width;
    private const int ClosingStreamBytes = 256 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = BenchOptions.Int(args, "--runs", 3);
        var oneStreamMiB = BenchOptions.Int(args, "--mib", 128);
        var streams = BenchOptions.Int(args, "--streams", 50);
        var uploadMiB = BenchOptions.Int(args, "--upload-mib", 64);
        var roundTrips = BenchOptions.Int(args, "--round-trips", 1000);
        var connects = BenchOptions.Int(args, "--connects", 100);
        var idle = BenchOptions.Int(args, "--idle", 200);
        var closing = BenchOptions.Int(args, "--closing", 500);
        var database = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: bench/run.sh sets it after starting PostgreSQL.");

        await using var server = new SyntheticVncServer();
        await using var closer = new SyntheticVncServer(closeAfter: ClosingStreamBytes);
        var folder = Directory.CreateTempSubdirectory("kvmportal-consolebench-").FullName;
        try
        {
            var node = WriteNode(folder, server.Port, closer.Port);
            // The shared PostgreSQL has few connections to spare: 200 sessions ending at once queue for 30, not fail.
            await using var portal = await InProcessPortal.StartAsync(database + ";Maximum Pool Size=30", [node]);
            var vm = await portal.FindRunningVmAsync("bench-console");
            var closingVm = await portal.FindRunningVmAsync("bench-closing");
            var (userId, cookie) = await portal.AdministratorCookieAsync();
            await using var websockify = await PeerProcess.WebsockifyAsync(server.Port);
            await using var websockifyClosing = await PeerProcess.WebsockifyAsync(closer.Port);
            await using var socat = await PeerProcess.SocatAsync(server.Port);
            await using var socatClosing = await PeerProcess.SocatAsync(closer.Port);

            var direct = new BenchPath("direct", _ => Tcp(server.Port));
            var floor = new BenchPath("socat", c => Tcp(c ? socatClosing.Port : socat.Port));
            var peer = new BenchPath("websockify", c => WebSocket(new Uri($"ws://127.0.0.1:{(c ? websockifyClosing : websockify).Port}/"), null, null));
            var ours = new BenchPath("KvmPortal", async c =>
            {
                var ticket = await portal.IssueTicketAsync(userId, c ? closingVm : vm);
                return await WebSocket(new Uri(portal.BaseUrl.Replace("http://", "ws://") + "/consoles/vnc?ticket=" + ticket), portal.BaseUrl, cookie);
            });
            BenchPath[] relays = [floor, peer, ours];
            Console.WriteLine($"console: synthetic VNC server on 127.0.0.1:{server.Port}, KvmPortal finds it through {node}");
            Console.WriteLine($"{connects} set-ups; best of {runs}: 1 stream of {oneStreamMiB} MiB, {streams} streams of {oneStreamMiB * 8.0 / streams:F1} MiB at once, " +
                $"{uploadMiB} MiB client->server in 64 KiB frames; {roundTrips} round trips; {idle} idle sessions; {closing} streams closed right after {ClosingStreamBytes / 1024} KiB");

            foreach (var path in relays) await (await path.OpenAsync()).DisposeAsync(); // warm-up: JIT, pools, first processes

            for (var i = 0; i < connects; i++)
                foreach (var path in relays)
                {
                    var connect = await path.Prepare(false);
                    var clock = Stopwatch.StartNew();
                    var client = await connect();
                    path.SetUpMs.Add(clock.Elapsed.TotalMilliseconds);
                    await client.DisposeAsync();
                }

            var perStreamRows = (ushort)Math.Max(1, oneStreamMiB * 8 * 64 / streams); // 8x the single stream in all
            for (var run = 0; run < runs; run++)
                foreach (var path in relays)
                {
                    await using (var client = await path.OpenAsync())
                        path.OneStream = Math.Max(path.OneStream, await TimedMiBps(() => client.FetchAsync(Width, (ushort)(oneStreamMiB * 64))));
                    var many = new List<RfbBenchClient>(); // opened one after another: the shared PostgreSQL has few connections to spare
                    for (var i = 0; i < streams; i++) many.Add(await path.OpenAsync());
                    path.ManyStreams = Math.Max(path.ManyStreams, await TimedMiBps(async () =>
                        (await Task.WhenAll(many.Select(c => c.FetchAsync(Width, perStreamRows)))).Sum()));
                    foreach (var c in many) await c.DisposeAsync();
                    await using (var client = await path.OpenAsync())
                        path.Upload = Math.Max(path.Upload, await TimedMiBps(async () =>
                        {
                            await client.UploadAsync(uploadMiB * 16);
                            return (long)uploadMiB << 20;
                        }));
                }

            // Round trips in turns of 10 per path, so the shared machine's noise falls on all of them alike.
            var echoing = new Dictionary<BenchPath, RfbBenchClient>();
            foreach (var path in relays.Prepend(direct)) echoing[path] = await path.OpenAsync();
            foreach (var client in echoing.Values)
                for (var i = 0; i < 50; i++) await client.RoundTripAsync();
            for (var turn = 0; turn < roundTrips; turn += 10)
                foreach (var (path, client) in echoing)
                    for (var i = 0; i < 10; i++) path.RoundTripMs.Add((await client.RoundTripAsync()).TotalMilliseconds);
            foreach (var client in echoing.Values) await client.DisposeAsync();

            // Idle sessions: the clients and the synthetic server live in this process, so websockify's sessions (a
            // process each, outside) are the baseline that KvmPortal's in-process cost is measured against.
            var before = InProcessMemory();
            var peerBefore = websockify.TreeMemoryBytes();
            var peerIdle = await Task.WhenAll(Enumerable.Range(0, idle).Select(_ => peer.OpenAsync()));
            var withPeer = InProcessMemory();
            peer.IdleBytes = (websockify.TreeMemoryBytes() - peerBefore) / idle;
            foreach (var c in peerIdle) await c.DisposeAsync();
            var socatBefore = socat.TreeMemoryBytes();
            var socatIdle = await Task.WhenAll(Enumerable.Range(0, idle).Select(_ => floor.OpenAsync()));
            floor.IdleBytes = (socat.TreeMemoryBytes() - socatBefore) / idle;
            foreach (var c in socatIdle) await c.DisposeAsync();
            await Task.Delay(2000); // the sessions' ends are recorded in the background
            var beforeOurs = InProcessMemory();
            var oursIdle = new List<RfbBenchClient>();
            for (var i = 0; i < idle; i++) oursIdle.Add(await ours.OpenAsync());
            var withOurs = InProcessMemory();
            foreach (var c in oursIdle) await c.DisposeAsync();
            var clientHeap = (withPeer.Heap - before.Heap) / idle;
            var clientSet = (withPeer.WorkingSet - before.WorkingSet) / idle;
            ours.IdleBytes = (withOurs.Heap - beforeOurs.Heap) / idle - clientHeap;
            var oursWorkingSet = (withOurs.WorkingSet - beforeOurs.WorkingSet) / idle - clientSet;

            foreach (var path in relays)
            {
                for (var batch = 0; batch < closing; batch += 10)
                {
                    var received = await Task.WhenAll(Enumerable.Range(0, Math.Min(10, closing - batch)).Select(async _ =>
                    {
                        await using var client = await path.OpenAsync(closing: true);
                        return await client.ReceiveUpdateAsync();
                    }));
                    path.Truncated += received.Count(r => r < ClosingStreamBytes);
                }
            }

            Report(direct, floor, peer, ours, streams, closing, oursWorkingSet);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(BenchPath direct, BenchPath floor, BenchPath peer, BenchPath ours, int streams, int closing, long oursWorkingSet)
    {
        double Added(BenchPath p, int percentile) => Percentile(p.RoundTripMs, percentile) - Percentile(direct.RoundTripMs, percentile);
        Console.WriteLine();
        Console.WriteLine($"{"",-11}{"set-up p50",11}{"1 stream",12}{$"{streams} streams",12}{"client->srv",12}{"RTT p50",9}{"p99",8}{"added p50",10}{"p99",8}{"idle/session",13}{"truncated",10}");
        foreach (var p in new[] { direct, floor, peer, ours })
            Console.WriteLine($"{p.Name,-11}{(p.SetUpMs.Count > 0 ? $"{Percentile(p.SetUpMs, 50):F2} ms" : "-"),11}" +
                $"{MiBps(p.OneStream),12}{MiBps(p.ManyStreams),12}{MiBps(p.Upload),12}" +
                $"{Percentile(p.RoundTripMs, 50),9:F3}{Percentile(p.RoundTripMs, 99),8:F3}" +
                $"{(p == direct ? "" : $"{Added(p, 50):F3}"),10}{(p == direct ? "" : $"{Added(p, 99):F3}"),8}" +
                $"{(p.IdleBytes is { } b ? $"{b / 1024.0:F0} KiB" : "-"),13}{(p == direct ? "-" : $"{p.Truncated}/{closing}"),10}");
        Console.WriteLine($"(RTT: 1 KiB ClientCutText echoed as ServerCutText, ms; added = over the direct connection; idle: websockify and socat Pss of their process trees, " +
            $"KvmPortal managed heap over websockify's clients; KvmPortal working set {oursWorkingSet / 1024.0:F0} KiB/session)");
        Console.WriteLine();
        Console.WriteLine("targets (KvmPortal, as ratios in this run):");
        Target("one stream vs socat", ours.OneStream / floor.OneStream, ">=", 0.9);
        Target($"{streams} streams vs socat", ours.ManyStreams / floor.ManyStreams, ">=", 0.9);
        Target("client->server vs websockify", ours.Upload / peer.Upload, ">=", 2);
        Target("added p99 latency vs websockify's", Added(ours, 99) / Added(peer, 99), "<=", 0.5);
        Target("set-up p50 vs websockify", Percentile(ours.SetUpMs, 50) / Percentile(peer.SetUpMs, 50), "<=", 0.25);
        Target("KiB per idle session", (ours.IdleBytes ?? 0) / 1024.0, "<=", 256);
        Target("truncated streams", ours.Truncated, "<=", 0);
        Console.WriteLine($"for reference: websockify vs socat one stream {peer.OneStream / floor.OneStream:F2}, client->server {peer.Upload / floor.Upload:F2}, " +
            $"added p99 {Added(peer, 99) / Added(floor, 99):F1}x socat's");
    }

    private static void Target(string what, double value, string op, double limit)
    {
        var met = op == ">=" ? value >= limit : value <= limit;
        Console.WriteLine($"  {what,-36}{value,8:F2} (target {op} {limit}) {(met ? "met" : "NOT MET")}");
    }

    private static string MiBps(double value) => value > 0 ? $"{value:F0} MiB/s" : "-";

    private static async Task<double> TimedMiBps(Func<Task<long>> transfer)
    {
        var clock = Stopwatch.StartNew();
        var bytes = await transfer();
        return bytes / clock.Elapsed.TotalSeconds / (1 << 20);
    }

    private static (long Heap, long WorkingSet) InProcessMemory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private static Task<Func<Task<RfbBenchClient>>> Tcp(int port) => Task.FromResult<Func<Task<RfbBenchClient>>>(() => RfbBenchClient.ConnectTcpAsync(port));

    private static Task<Func<Task<RfbBenchClient>>> WebSocket(Uri url, string? origin, string? cookie) =>
        Task.FromResult<Func<Task<RfbBenchClient>>>(() => RfbBenchClient.ConnectWebSocketAsync(url, origin, cookie));

    /// <summary>A libvirt test-driver host with two running domains whose VNC displays are the synthetic servers.</summary>
    private static string WriteNode(string folder, int consolePort, int closingPort)
    {
        static XElement Domain(string name, int port) => new("domain", new XAttribute("type", "test"),
            new XElement("name", name), new XElement("memory", 1024 * 1024), new XElement("vcpu", 1),
            new XElement("os", new XElement("type", "hvm")),
            new XElement("devices", new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("port", port),
                new XAttribute("autoport", "no"), new XAttribute("listen", "127.0.0.1"))));
        var node = new XElement("node",
            new XElement("cpu", new XElement("mhz", 2400), new XElement("model", "x86_64"),
                new XElement("nodes", 1), new XElement("sockets", 1), new XElement("cores", 2), new XElement("threads", 1)),
            new XElement("memory", 16L * 1024 * 1024),
            Domain("bench-console", consolePort), Domain("bench-closing", closingPort));
        var path = Path.Combine(folder, "console-node.xml");
        node.Save(path);
        return "test://" + path;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    /// <summary>One way to the synthetic server; Prepare(closing) does what precedes a connection (a ticket) and returns the timed connect.</summary>
    private sealed class BenchPath(string name, Func<bool, Task<Func<Task<RfbBenchClient>>>> prepare)
    {
        public string Name => name;
        public Func<bool, Task<Func<Task<RfbBenchClient>>>> Prepare => prepare;
        public List<double> SetUpMs { get; } = [];
        public List<double> RoundTripMs { get; } = [];
        public double OneStream, ManyStreams, Upload;
        public long? IdleBytes;
        public int Truncated;

        public async Task<RfbBenchClient> OpenAsync(bool closing = false) => await (await prepare(closing))();
    }
}
