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
/// Volume upload and download through the service layer (a libvirt stream fed in 256 KiB chunks from/to a file
/// stream) against `virsh vol-upload` / `vol-download` of the same file into the same temporary dir pool on
/// qemu:///system, side by side in one run. Also prints this process's peak working set, which stays flat because
/// nothing is buffered whole.
/// </summary>
public static class VolumesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMiB = BenchOptions.Int(args, "--mib", 1024);
        var runs = BenchOptions.Int(args, "--runs", 2);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var poolName = "kvmportal-bench-" + suffix;
        var poolPath = Path.Combine("/var/lib/libvirt/images", poolName);
        var work = Directory.CreateTempSubdirectory("kvmportal-bench-").FullName;
        var source = Path.Combine(work, "source.img");
        var length = (long)sizeMiB << 20;
        Console.WriteLine($"volumes: {sizeMiB} MiB file, temporary dir pool {poolName}, best of {runs} runs");
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
            double bestUpOurs = double.MaxValue, bestUpVirsh = double.MaxValue, bestDownOurs = double.MaxValue, bestDownVirsh = double.MaxValue;
            var startWorkingSet = Process.GetCurrentProcess().WorkingSet64;
            long peakAfterUpload = 0;
            for (var run = 1; run <= runs; run++)
            {
                var ours = $"ours-{run}.img";
                var theirs = $"virsh-{run}.img";
                Virsh("vol-create-as", poolName, theirs, length.ToString(), "--format", "raw");

                var clock = Stopwatch.StartNew();
                Virsh("vol-upload", "--pool", poolName, theirs, source);
                var upVirsh = clock.Elapsed.TotalSeconds;

                clock.Restart();
                await using (var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
                    await storage.UploadAsync(host.Id, poolName, ours, file, (ulong)length, overwrite: false);
                var upOurs = clock.Elapsed.TotalSeconds;
                if (run == 1) peakAfterUpload = Process.GetCurrentProcess().PeakWorkingSet64;

                var outVirsh = Path.Combine(work, "virsh.out");
                var outOurs = Path.Combine(work, "ours.out");
                clock.Restart();
                Virsh("vol-download", "--pool", poolName, theirs, outVirsh);
                var downVirsh = clock.Elapsed.TotalSeconds;

                clock.Restart();
                await using (var file = new FileStream(outOurs, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                    await storage.DownloadAsync(host.Id, poolName, ours, file);
                var downOurs = clock.Elapsed.TotalSeconds;

                if (new FileInfo(outOurs).Length != length || !FilesEqual(source, outOurs))
                    throw new InvalidOperationException("the downloaded file differs from the uploaded one");
                File.Delete(outVirsh);
                File.Delete(outOurs);
                Console.WriteLine($"  run {run}: upload KvmPortal {Rate(length, upOurs)}  virsh {Rate(length, upVirsh)}   download KvmPortal {Rate(length, downOurs)}  virsh {Rate(length, downVirsh)}");
                bestUpOurs = Math.Min(bestUpOurs, upOurs);
                bestUpVirsh = Math.Min(bestUpVirsh, upVirsh);
                bestDownOurs = Math.Min(bestDownOurs, downOurs);
                bestDownVirsh = Math.Min(bestDownVirsh, downVirsh);
                await storage.DeleteVolumeAsync(host.Id, poolName, ours);
                await storage.DeleteVolumeAsync(host.Id, poolName, theirs);
            }
            if (args.Contains("--binding"))
            {
                // The floor of this process: the binding alone, one thread, synchronous reads and sends.
                Virsh("vol-create-as", poolName, "binding.img", length.ToString(), "--format", "raw");
                var clock = Stopwatch.StartNew();
                using (var pool = connection.LookupStoragePoolByName(poolName))
                using (var volume = pool.LookupVolumeByName("binding.img"))
                using (var stream = connection.NewStream())
                using (var file = File.OpenRead(source))
                {
                    volume.Upload(stream, 0, (ulong)length);
                    var buffer = new byte[StorageChunk];
                    int n;
                    while ((n = file.Read(buffer, 0, buffer.Length)) > 0) stream.SendAll(buffer.AsSpan(0, n));
                    stream.Finish();
                }
                Console.WriteLine($"binding only, synchronous upload: {Rate(length, clock.Elapsed.TotalSeconds)}");
            }
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine($"upload:   KvmPortal {Rate(length, bestUpOurs)}, virsh vol-upload {Rate(length, bestUpVirsh)}, ratio {bestUpVirsh / bestUpOurs:F2} (target >= 0.80)");
            Console.WriteLine($"download: KvmPortal {Rate(length, bestDownOurs)}, virsh vol-download {Rate(length, bestDownVirsh)}, ratio {bestDownVirsh / bestDownOurs:F2} (target >= 0.80)");
            Console.WriteLine($"memory: working set {startWorkingSet >> 20} MiB before the transfers, peak {peakAfterUpload >> 20} MiB after the first upload, peak {peak >> 20} MiB after the downloads, for a {sizeMiB} MiB file");
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

    private const int StorageChunk = 4 * 262120;

    private static string Rate(long bytes, double seconds) => $"{bytes / seconds / (1 << 20),7:F0} MiB/s ({seconds:F2} s)";

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
