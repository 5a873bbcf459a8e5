using System.Diagnostics;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;

namespace KvmPortal.Bench;

/// <summary>
/// Diagnostics of the volumes benchmark: where a transfer's time goes (`--stages`: the bare binding on one thread with
/// different chunk sizes, with and without the file) and what download range sizes cost (`--ranges`), each variant
/// with its own peak resident set. Used to find the service layer's losses; the ratios that count are the main run's.
/// </summary>
internal static class VolumeStages
{
    /// <summary>The benchmark's set-up, shared by the diagnostics.</summary>
    public sealed record Setup(Connection Connection, IStorageOperations Storage, Guid HostId, string Pool, string Source, long Length, Action<string[]> Virsh);

    /// <summary>`--stages`: the bare binding with different chunk sizes and steps left out, next to virsh and the service layer.</summary>
    public static void RunStages(Setup setup, int rounds, string? only)
    {
        var (connection, storage, hostId, poolName, source, length, virsh) = setup;
        using var pool = connection.LookupStoragePoolByName(poolName);
        virsh(["vol-create-as", poolName, "stages.img", length.ToString()]);
        virsh(["vol-create-as", poolName, "v.img", length.ToString()]);
        using var volume = pool.LookupVolumeByName("stages.img");
        var output = source + ".stages";
        var block = new byte[16 << 20];
        Random.Shared.NextBytes(block);
        var variants = new List<(string Name, Action Transfer)>();
        foreach (var chunk in new[] { Libvirt.Stream.PacketPayloadBytes, 4 << 20 })
        {
            variants.Add(($"upload, binding, file -> send, {chunk >> 10} KiB reads", () =>
            {
                using var stream = connection.NewStream();
                using var file = File.OpenRead(source);
                volume.Upload(stream, 0, (ulong)length);
                int n;
                while ((n = file.Read(block, 0, chunk)) > 0) stream.SendAll(block.AsSpan(0, n));
                stream.Finish();
            }));
        }
        variants.Add(("upload, binding, send only (no file)", () =>
        {
            using var stream = connection.NewStream();
            volume.Upload(stream, 0, (ulong)length);
            for (long done = 0; done < length; done += 4 << 20) stream.SendAll(block.AsSpan(0, (int)Math.Min(4 << 20, length - done)));
            stream.Finish();
        }));
        foreach (var chunk in new[] { Libvirt.Stream.PacketPayloadBytes, 4 << 20 })
        {
            variants.Add(($"download, binding, whole volume, recv -> file, {chunk >> 10} KiB", () =>
            {
                using var file = File.Create(output);
                using var stream = connection.NewStream();
                volume.Download(stream, 0, (ulong)length);
                int n;
                while ((n = stream.Receive(block.AsSpan(0, chunk))) > 0) file.Write(block, 0, n);
                stream.Finish();
            }));
        }
        variants.Add(("download, binding, whole volume, recv only", () =>
        {
            using var stream = connection.NewStream();
            volume.Download(stream, 0, (ulong)length);
            while (stream.Receive(block.AsSpan(0, 4 << 20)) > 0) { }
            stream.Finish();
        }));
        var eight = new byte[8 << 20];
        variants.Add(("file write only, async FileStream with a 1 MiB buffer, 8 MiB writes", () =>
        {
            using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            for (long done = 0; done < length; done += eight.Length) file.WriteAsync(eight).AsTask().GetAwaiter().GetResult();
        }));
        variants.Add(("file write only, async FileStream unbuffered, 8 MiB writes", () =>
        {
            using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            for (long done = 0; done < length; done += eight.Length) file.WriteAsync(eight).AsTask().GetAwaiter().GetResult();
        }));
        variants.Add(("file write only, synchronous, 256 KiB writes", () =>
        {
            using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (long done = 0; done < length; done += 256 << 10) file.Write(eight, 0, 256 << 10);
        }));
        variants.Add(("virsh vol-upload", () => virsh(["vol-upload", "--pool", poolName, "v.img", source])));
        variants.Add(("virsh vol-download", () => virsh(["vol-download", "--pool", poolName, "v.img", output])));
        variants.Add(("service upload", () =>
        {
            using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            storage.UploadAsync(hostId, poolName, "s.img", file, (ulong)length, overwrite: false).GetAwaiter().GetResult();
            storage.DeleteVolumeAsync(hostId, poolName, "s.img").GetAwaiter().GetResult();
        }));
        variants.Add(("service download -> file", () =>
        {
            using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            storage.DownloadAsync(hostId, poolName, "v.img", file).GetAwaiter().GetResult();
        }));
        variants.Add(("service download -> file written inline", () =>
        {
            using var file = new InlineWrites(new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 0));
            storage.DownloadAsync(hostId, poolName, "v.img", file).GetAwaiter().GetResult();
        }));
        variants.Add(("service download -> nowhere", () => storage.DownloadAsync(hostId, poolName, "v.img", System.IO.Stream.Null).GetAwaiter().GetResult()));
        RoundRobin(variants.Where(v => only is null || v.Name.Contains(only, StringComparison.Ordinal)).ToList(), rounds, length);
        File.Delete(output);
        volume.Delete();
    }

    /// <summary>`--ranges`: the service layer's download with different range sizes next to virsh (speed against memory).</summary>
    public static void RunRanges(Setup setup, HostManager hosts, int rounds)
    {
        var (_, storage, hostId, poolName, source, length, virsh) = setup;
        var output = source + ".ranges";
        virsh(["vol-create-as", poolName, "v.img", length.ToString()]);
        virsh(["vol-upload", "--pool", poolName, "v.img", source]);
        var variants = new List<(string Name, Action Transfer)> { ("virsh vol-download", () => virsh(["vol-download", "--pool", poolName, "v.img", output])) };
        foreach (var mib in new ulong[] { 8, 16, 32, 64, (ulong)length >> 20 })
        {
            var operations = new StorageOperations(hosts) { DownloadRangeBytes = mib << 20 };
            variants.Add(($"service download, {mib} MiB ranges", () =>
            {
                using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
                operations.DownloadAsync(hostId, poolName, "v.img", file).GetAwaiter().GetResult();
            }));
        }
        RoundRobin(variants, rounds, length);
        File.Delete(output);
    }

    /// <summary>Runs every variant once per round, each after writing back dirty pages; prints medians and peaks.</summary>
    private static void RoundRobin(List<(string Name, Action Transfer)> variants, int rounds, long length)
    {
        var results = variants.Select(_ => new List<(double Rate, long Peak, string Gcs)>()).ToList();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < variants.Count; i++)
            {
                Sync();
                results[i].Add(Measure(length, variants[i].Transfer));
                Console.WriteLine($"  round {round + 1} {variants[i].Name,-55} {results[i][^1].Rate,6:F0} MiB/s  peak {results[i][^1].Peak >> 20,4} MiB  GCs {results[i][^1].Gcs}");
            }
        }
        Console.WriteLine($"medians of {rounds}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}:");
        for (var i = 0; i < variants.Count; i++)
        {
            var rates = results[i].Select(r => r.Rate).Order().ToList();
            Console.WriteLine($"  {variants[i].Name,-55} {rates[rates.Count / 2],6:F0} MiB/s  highest peak resident {results[i].Max(r => r.Peak) >> 20,4} MiB");
        }
    }

    /// <summary>Writes back all dirty pages, so a transfer does not pay for the previous one's writes.</summary>
    public static void Sync()
    {
        using var sync = Process.Start("sync")!;
        sync.WaitForExit();
    }

    /// <summary>Runs <paramref name="transfer"/>: its rate, this process's peak resident set during it and the GCs it caused.</summary>
    public static (double MiBPerSecond, long PeakWorkingSet, string Gcs) Measure(long length, Action transfer)
    {
        ResetPeakWorkingSet();
        var gc = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        transfer();
        var seconds = clock.Elapsed.TotalSeconds;
        return (length / seconds / (1 << 20), PeakWorkingSet(),
            $"{GC.CollectionCount(0) - gc.Item1}/{GC.CollectionCount(1) - gc.Item2}/{GC.CollectionCount(2) - gc.Item3}");
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) that PeakWorkingSet64 reads.</summary>
    public static void ResetPeakWorkingSet() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>VmHWM from /proc/self/status: the peak resident set since the last reset.</summary>
    public static long PeakWorkingSet() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    private sealed class InlineWrites(FileStream inner) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            inner.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
