using System.Diagnostics;
using System.Xml.Linq;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmPortal.Bench;

/// <summary>
/// Volume upload and download through the service layer (the calls the web endpoints make, with unbuffered asynchronous
/// file streams in place of the HTTP bodies, on the host session's connection) against `virsh vol-upload` /
/// `vol-download` of the same file into the same temporary dir pool on qemu:///system. After one uncounted warm-up, each
/// round runs both sides back to back, alternating which goes first, each after writing back all dirty pages so no
/// transfer pays for another's writes; the figure is the median over the rounds of each round's ratio, which cancels
/// most of a shared machine's drift. Also this process's peak resident set and managed heap during its own transfers.
/// </summary>
public static class VolumesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMiB = BenchOptions.Int(args, "--mib", 1024);
        var runs = BenchOptions.Int(args, "--runs", 5);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var poolName = "kvmportal-bench-" + suffix;
        var poolPath = Path.Combine("/var/lib/libvirt/images", poolName);
        var work = Directory.CreateTempSubdirectory("kvmportal-bench-").FullName;
        var source = Path.Combine(work, "source.img");
        var length = (long)sizeMiB << 20;
        Console.WriteLine($"volumes: {sizeMiB} MiB file, temporary dir pool {poolName}, {runs} rounds, load average {LoadAverage()}");
        WriteRandomFile(source, length);

        using var connection = Connection.Open("qemu:///system");
        using (var pool = connection.DefineStoragePool(new XElement("pool", new XAttribute("type", "dir"),
                   new XElement("name", poolName), new XElement("target", new XElement("path", poolPath))).ToString()))
        {
            pool.Build();
            pool.Create();
        }

        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddHypervisor()
            .BuildServiceProvider();
        var inventory = services.GetRequiredService<IInventory>();
        var host = new HostDefinition(Guid.NewGuid(), "local", "qemu:///system");
        services.GetRequiredService<IHostManager>().Attach(host);
        var storage = services.GetRequiredService<IStorageOperations>();
        try
        {
            await WaitOnlineAsync(inventory, host.Id);
            var setup = new VolumeStages.Setup(connection, storage, host.Id, poolName, source, length, Virsh);
            if (args.Contains("--stages") || args.Contains("--ranges"))
            {
                if (args.Contains("--stages")) VolumeStages.RunStages(setup, runs, args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault());
                else VolumeStages.RunRanges(setup, services.GetRequiredService<HostManager>(), runs);
                return 0;
            }
            Warm(setup);
            var upload = new Side("upload");
            var download = new Side("download");
            var outVirsh = Path.Combine(work, "virsh.out");
            var outOurs = Path.Combine(work, "ours.out");
            for (var run = 1; run <= runs; run++)
            {
                var ours = $"ours-{run}.img";
                var theirs = $"virsh-{run}.img";
                Virsh("vol-create-as", poolName, theirs, length.ToString(), "--format", "raw");
                var oursFirst = run % 2 == 0;
                upload.Round(oursFirst, length,
                    () => Virsh("vol-upload", "--pool", poolName, theirs, source),
                    async () =>
                    {
                        await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                        await storage.UploadAsync(host.Id, poolName, ours, file, (ulong)length, overwrite: false);
                    });
                download.Round(oursFirst, length,
                    () => Virsh("vol-download", "--pool", poolName, theirs, outVirsh),
                    async () =>
                    {
                        await using var file = new FileStream(outOurs, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
                        await storage.DownloadAsync(host.Id, poolName, ours, file);
                    });
                if (new FileInfo(outOurs).Length != length || !FilesEqual(source, outOurs))
                    throw new InvalidOperationException("the downloaded file differs from the uploaded one");
                File.Delete(outVirsh);
                File.Delete(outOurs);
                Console.WriteLine($"  round {run} ({(oursFirst ? "KvmPortal" : "virsh")} first): {upload.Last}   {download.Last}");
                await storage.DeleteVolumeAsync(host.Id, poolName, ours);
                await storage.DeleteVolumeAsync(host.Id, poolName, theirs);
            }
            Console.WriteLine($"medians of {runs} rounds, load average {LoadAverage()} at the end:");
            Console.WriteLine(upload.Summary("virsh vol-upload"));
            Console.WriteLine(download.Summary("virsh vol-download"));
            return 0;
        }
        finally
        {
            using (var pool = connection.LookupStoragePoolByName(poolName))
            {
                foreach (var volume in pool.ListAllVolumes())
                {
                    using (volume) volume.Delete();
                }
                pool.Destroy();
                pool.Delete();
                pool.Undefine();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// One uncounted 64 MiB round trip through both first: the benchmark measures a running server (JIT-compiled code,
    /// its threads started) against virsh, which starts afresh every time by its nature.
    /// </summary>
    private static void Warm(VolumeStages.Setup setup)
    {
        var (_, storage, hostId, pool, source, _, virsh) = setup;
        var output = source + ".warm";
        using (var file = File.OpenRead(source))
            storage.UploadAsync(hostId, pool, "warm.img", file, 64 << 20, overwrite: false).GetAwaiter().GetResult();
        using (var file = File.Create(output))
            storage.DownloadAsync(hostId, pool, "warm.img", file).GetAwaiter().GetResult();
        virsh(["vol-download", "--pool", pool, "warm.img", output]);
        virsh(["vol-upload", "--pool", pool, "warm.img", output]);
        storage.DeleteVolumeAsync(hostId, pool, "warm.img").GetAwaiter().GetResult();
        File.Delete(output);
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>One direction's rounds: rates of both sides, each round's ratio, and this process's memory during its own transfers.</summary>
    private sealed class Side(string name)
    {
        private readonly List<(double Ours, double Virsh)> _rates = [];
        private long _peakResident, _peakHeap, _baseResident = long.MaxValue, _allocated;

        public string Last => $"{name} KvmPortal {_rates[^1].Ours,5:F0} MiB/s, virsh {_rates[^1].Virsh,5:F0} MiB/s ({_rates[^1].Ours / _rates[^1].Virsh:F2})";

        public void Round(bool oursFirst, long length, Action virsh, Func<Task> ours)
        {
            double o = 0, v = 0;
            for (var i = 0; i < 2; i++)
            {
                VolumeStages.Sync();
                if ((i == 0) == oursFirst) o = MeasureOurs(length, ours);
                else v = VolumeStages.Measure(length, virsh).MiBPerSecond;
            }
            _rates.Add((o, v));
        }

        private double MeasureOurs(long length, Func<Task> ours)
        {
            GC.Collect();
            _baseResident = Math.Min(_baseResident, Environment.WorkingSet);
            long heap = 0;
            using var sampler = new Timer(_ => Interlocked.Exchange(ref heap, Math.Max(Interlocked.Read(ref heap), GC.GetTotalMemory(false))), null, 0, 20);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (rate, peak, _) = VolumeStages.Measure(length, () => ours().GetAwaiter().GetResult());
            _allocated = Math.Max(_allocated, GC.GetTotalAllocatedBytes(precise: true) - allocated);
            _peakResident = Math.Max(_peakResident, peak);
            _peakHeap = Math.Max(_peakHeap, Interlocked.Read(ref heap));
            return rate;
        }

        public string Summary(string peer)
        {
            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToList();
                return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
            }
            var ratio = Median(_rates.Select(r => r.Ours / r.Virsh));
            return $"{name,-8}: KvmPortal {Median(_rates.Select(r => r.Ours)),5:F0} MiB/s, {peer} {Median(_rates.Select(r => r.Virsh)),5:F0} MiB/s, " +
                   $"ratio {ratio:F2} (per-round {string.Join(' ', _rates.Select(r => (r.Ours / r.Virsh).ToString("F2")))}; target >= 0.80 {(ratio >= 0.8 ? "met" : "NOT met")}); " +
                   $"resident peak {_peakResident >> 20} MiB (lowest before a transfer {_baseResident >> 20} MiB), managed heap peak {_peakHeap >> 20} MiB, " +
                   $"at most {_allocated >> 20} MiB allocated per transfer";
        }
    }

    private static void WriteRandomFile(string path, long length)
    {
        var buffer = new byte[4 << 20];
        var random = new Random(42);
        using var file = File.Create(path);
        for (long done = 0; done < length; done += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, length - done));
        }
    }

    private static bool FilesEqual(string a, string b)
    {
        using var x = File.OpenRead(a);
        using var y = File.OpenRead(b);
        var bx = new byte[1 << 20];
        var by = new byte[1 << 20];
        while (true)
        {
            var n = x.ReadAtLeast(bx, bx.Length, throwOnEndOfStream: false);
            var m = y.ReadAtLeast(by, by.Length, throwOnEndOfStream: false);
            if (n != m || !bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, m))) return false;
            if (n == 0) return true;
        }
    }

    private static async Task WaitOnlineAsync(IInventory inventory, Guid hostId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var subscription = inventory.Subscribe(timeout.Token);
        if (inventory.Current.Hosts.TryGetValue(hostId, out var h) && h.Status == HostStatus.Online) return;
        await foreach (var _ in subscription.Changes)
        {
            if (inventory.Current.Hosts.TryGetValue(hostId, out var host) && host.Status == HostStatus.Online) return;
        }
    }

    private static void Virsh(params string[] arguments)
    {
        var start = new ProcessStartInfo("virsh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-q");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("qemu:///system");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"virsh {string.Join(' ', arguments)}: {error.Result}");
    }
}
