using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Pool and volume operations through the service layer on qemu:///system, in temporary kvmportal-test-* pools under
/// /var/lib/libvirt/images that are always removed.
/// </summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class StorageOperationsTests
{
    [Fact]
    public async Task Dir_pool_is_defined_built_started_and_deleted_with_its_volumes()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var spec = new PoolSpec { Name = "kvmportal-test-pool-" + suffix, Type = PoolType.Dir, TargetPath = "/var/lib/libvirt/images/kvmportal-test-" + suffix };
        try
        {
            var types = await hypervisor.StorageOps.GetPoolTypesAsync(host.Id);
            Assert.True(types.Single(t => t.Type == PoolType.Dir).Supported);
            Assert.All(types.Where(t => !t.Supported), t => Assert.False(string.IsNullOrEmpty(t.Reason)));

            Assert.Empty(await hypervisor.StorageOps.ValidatePoolAsync(host.Id, spec));
            var plan = hypervisor.StorageOps.PreviewPool(spec);
            Assert.True(plan.NeedsBuild);
            Assert.Equal(spec.TargetPath, XElement.Parse(plan.Xml).Element("target")!.Element("path")!.Value);

            await hypervisor.StorageOps.DefinePoolAsync(host.Id, spec, build: true, start: true, autostart: true);
            Assert.Contains(await hypervisor.StorageOps.ValidatePoolAsync(host.Id, spec), p => p.Field == "Name");
            var pool = (await hypervisor.Storage.ListPoolsAsync(host.Id)).Single(p => p.Name == spec.Name);
            Assert.Equal(PoolState.Running, pool.State);
            Assert.True(pool.Autostart);
            Assert.True(Directory.Exists(spec.TargetPath));

            await hypervisor.StorageOps.CreateVolumeAsync(host.Id, new VolumeSpec(spec.Name, "a.raw", 1 << 20, VolumeFormat.Raw));
            await hypervisor.StorageOps.StopPoolAsync(host.Id, spec.Name);
            await hypervisor.StorageOps.StartPoolAsync(host.Id, spec.Name);
            await hypervisor.StorageOps.RefreshPoolAsync(host.Id, spec.Name);
            await hypervisor.StorageOps.SetPoolAutostartAsync(host.Id, spec.Name, false);

            await hypervisor.StorageOps.DeletePoolAsync(host.Id, spec.Name, deleteStorage: true);
            Assert.DoesNotContain(await hypervisor.Storage.ListPoolsAsync(host.Id), p => p.Name == spec.Name);
            Assert.False(Directory.Exists(spec.TargetPath));
        }
        finally
        {
            using var connection = TestDomains.OpenSystem();
            try
            {
                using var pool = connection.LookupStoragePoolByName(spec.Name);
                if (pool.IsActive) pool.Destroy();
                pool.Undefine();
            }
            catch (Libvirt.LibvirtException)
            {
            }
            if (Directory.Exists(spec.TargetPath)) Directory.Delete(spec.TargetPath, recursive: true);
        }
    }

    [Fact]
    public async Task Volumes_are_created_resized_copied_and_refused_deletion_while_in_use()
    {
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var ops = hypervisor.StorageOps;
        var pool = storage.PoolName;
        var vm = TestDomains.NewName();
        using var connection = TestDomains.OpenSystem();
        try
        {
            await ops.CreateVolumeAsync(host.Id, new VolumeSpec(pool, "plain.raw", 8 << 20, VolumeFormat.Raw, Preallocation.Full));
            await ops.CreateVolumeAsync(host.Id, new VolumeSpec(pool, "base.qcow2", 16 << 20, VolumeFormat.Qcow2, Preallocation.Metadata));
            await ops.CreateVolumeAsync(host.Id, new VolumeSpec(pool, "overlay.qcow2", 0, VolumeFormat.Qcow2, BackingVolume: new VolumeRef(pool, "base.qcow2")));
            Assert.Contains(await ops.ValidateVolumeAsync(host.Id, new VolumeSpec(pool, "plain.raw", 1 << 20)),
                p => p.Field == "Name" && p.Key == "VolumeNameTaken" && p.Arguments.SequenceEqual(["plain.raw", pool]));
            Assert.Contains(await ops.ValidateVolumeAsync(host.Id, new VolumeSpec(pool, "x", 1 << 20, VolumeFormat.Raw, BackingVolume: new VolumeRef(pool, "base.qcow2"))), p => p.Field == "Format");

            var volumes = await ops.ListVolumesAsync(host.Id, pool);
            var overlay = volumes.Single(v => v.Name == "overlay.qcow2");
            Assert.Equal("qcow2", overlay.Format);
            Assert.Equal(16UL << 20, overlay.CapacityBytes);
            Assert.EndsWith("/base.qcow2", overlay.BackingPath);
            Assert.Equal(8UL << 20, volumes.Single(v => v.Name == "plain.raw").AllocationBytes);

            var info = await ops.GetVolumeInfoAsync(host.Id, pool, "overlay.qcow2");
            Assert.Equal("qcow2", Assert.Single(info.BackingChain).Format);
            Assert.Equal("qcow2", QemuImg(overlay.Path).GetProperty("format").GetString());

            await ops.ResizeVolumeAsync(host.Id, pool, "base.qcow2", 32 << 20, allowShrink: false);
            var shrink = await Assert.ThrowsAsync<HypervisorException>(() => ops.ResizeVolumeAsync(host.Id, pool, "plain.raw", 4 << 20, allowShrink: false));
            Assert.Contains("shrink", shrink.Message);
            Assert.Equal(HypervisorErrorKind.ShrinkNeedsConfirm, shrink.Kind);
            Assert.Equal(["plain.raw", "8 MiB", "4 MiB"], shrink.Arguments);
            // libvirt itself refuses to shrink below the allocation of a fully preallocated volume; a sparse one shrinks
            var refusedShrink = await Assert.ThrowsAsync<HypervisorException>(() => ops.ResizeVolumeAsync(host.Id, pool, "plain.raw", 4 << 20, allowShrink: true));
            Assert.Contains("shrink", refusedShrink.LibvirtMessage);
            await ops.CreateVolumeAsync(host.Id, new VolumeSpec(pool, "sparse.raw", 8 << 20, VolumeFormat.Raw));
            await ops.ResizeVolumeAsync(host.Id, pool, "sparse.raw", 4 << 20, allowShrink: true);
            Assert.Equal(4UL << 20, (await ops.GetVolumeInfoAsync(host.Id, pool, "sparse.raw")).CapacityBytes);
            await ops.WipeVolumeAsync(host.Id, pool, "plain.raw");

            var reports = new List<TransferProgress>();
            await ops.CopyVolumeAsync(host.Id, new VolumeCopySpec(pool, "base.qcow2", pool, "converted.raw", VolumeFormat.Raw), new SyncProgress(reports.Add));
            var converted = QemuImg(Path.Combine(storage.PoolPath, "converted.raw"));
            Assert.Equal("raw", converted.GetProperty("format").GetString());
            Assert.Equal(32L << 20, converted.GetProperty("virtual-size").GetInt64());
            Assert.Equal(1.0, reports[^1].Fraction);

            connection.DefineDomain(new XElement(XElement.Parse(TestDomains.TinyDomainXml(vm))) is var domain
                ? AddDisk(domain, Path.Combine(storage.PoolPath, "overlay.qcow2")) : "").Dispose();
            var refused = await Assert.ThrowsAsync<HypervisorException>(() => ops.DeleteVolumeAsync(host.Id, pool, "overlay.qcow2"));
            Assert.Equal(HypervisorErrorKind.VolumeInUse, refused.Kind);
            Assert.Contains(vm, refused.Message);
            Assert.Equal(vm, Assert.Single((await ops.ListVolumesAsync(host.Id, pool)).Single(v => v.Name == "overlay.qcow2").UsedBy).VmName);
            // The host-wide listing has the same volumes, with their users, for every active pool.
            var hostWide = (await ops.ListHostVolumesAsync(host.Id)).Where(v => v.Pool == pool).ToList();
            Assert.Equal((await ops.ListVolumesAsync(host.Id, pool)).Select(v => v.Name), hostWide.Select(v => v.Name));
            Assert.Equal(vm, Assert.Single(hostWide.Single(v => v.Name == "overlay.qcow2").UsedBy).VmName);
            await Assert.ThrowsAsync<HypervisorException>(() => ops.DeletePoolAsync(host.Id, pool, deleteStorage: true));

            TestDomains.Remove(connection, vm);
            var backing = await Assert.ThrowsAsync<HypervisorException>(() => ops.DeleteVolumeAsync(host.Id, pool, "base.qcow2"));
            Assert.Contains("backing file of overlay.qcow2", backing.Message);
            Assert.Equal(HypervisorErrorKind.VolumeIsBacking, backing.Kind);
            Assert.Equal(["base.qcow2", "overlay.qcow2", pool], backing.Arguments);
            await ops.DeleteVolumeAsync(host.Id, pool, "overlay.qcow2");
            await ops.DeleteVolumeAsync(host.Id, pool, "base.qcow2");
            Assert.DoesNotContain("overlay.qcow2", storage.VolumeNames());
        }
        finally
        {
            TestDomains.Remove(connection, vm);
        }
    }

    [Fact]
    public async Task Upload_and_download_round_trip_and_a_cancelled_upload_leaves_no_volume()
    {
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var ops = hypervisor.StorageOps;
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 777);

        var reports = new List<TransferProgress>();
        await ops.UploadAsync(host.Id, storage.PoolName, "disk.img", new MemoryStream(data), (ulong)data.Length, overwrite: false, new SyncProgress(reports.Add));
        Assert.Equal((ulong)data.Length, reports[^1].DoneBytes);

        var prepared = await ops.PrepareDownloadAsync(host.Id, storage.PoolName, "disk.img");
        Assert.Equal((ulong)data.Length, prepared.LengthBytes);
        using var downloaded = new MemoryStream();
        await ops.DownloadAsync(host.Id, storage.PoolName, "disk.img", downloaded);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(downloaded.ToArray()));
        // In ranges that do not divide the volume (nor the chunks): the same bytes, in order.
        var ranged = new StorageOperations(hypervisor.Hosts) { DownloadRangeBytes = 1_000_003 };
        using var inRanges = new MemoryStream();
        await ranged.DownloadAsync(host.Id, storage.PoolName, "disk.img", inRanges);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(inRanges.ToArray()));

        var exists = await Assert.ThrowsAsync<HypervisorException>(() =>
            ops.UploadAsync(host.Id, storage.PoolName, "disk.img", new MemoryStream(data), (ulong)data.Length, overwrite: false));
        Assert.Contains("already exists", exists.Message);

        var smaller = RandomNumberGenerator.GetBytes(1024 * 1024 + 3);
        await ops.UploadAsync(host.Id, storage.PoolName, "disk.img", new MemoryStream(smaller), (ulong)smaller.Length, overwrite: true);
        Assert.Equal(smaller, await File.ReadAllBytesAsync(Path.Combine(storage.PoolPath, "disk.img")));
        Assert.Equal(["disk.img"], storage.VolumeNames().Where(n => n.StartsWith("disk.img", StringComparison.Ordinal)));

        // A replacement that fails half-way leaves the old volume exactly as it was.
        var failing = new MemoryStream(data, 0, 4096);
        await Assert.ThrowsAsync<HypervisorException>(() => ops.UploadAsync(host.Id, storage.PoolName, "disk.img", failing, (ulong)data.Length, overwrite: true));
        Assert.Equal(smaller, await File.ReadAllBytesAsync(Path.Combine(storage.PoolPath, "disk.img")));
        Assert.Equal(["disk.img"], storage.VolumeNames().Where(n => n.StartsWith("disk.img", StringComparison.Ordinal)));

        using var cancel = new CancellationTokenSource();
        var source = new StallingStream(data, stallAfter: 1024 * 1024);
        var upload = ops.UploadAsync(host.Id, storage.PoolName, "cancelled.iso", source, (ulong)data.Length, overwrite: false, cancellationToken: cancel.Token);
        await source.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("cancelled.iso", storage.VolumeNames());
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        Assert.DoesNotContain("cancelled.iso", storage.VolumeNames());

        var shortSource = new MemoryStream(data, 0, 1000);
        await Assert.ThrowsAsync<HypervisorException>(() => ops.UploadAsync(host.Id, storage.PoolName, "short.img", shortSource, 5000, overwrite: false));
        Assert.DoesNotContain("short.img", storage.VolumeNames());
    }

    [Fact]
    public async Task Upload_from_a_trickling_source_arrives_whole_and_a_download_that_fails_or_is_cancelled_returns()
    {
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var ops = new StorageOperations(hypervisor.Hosts) { DownloadRangeBytes = 1 << 20 };
        // More than the pump's buffers hold at once, not a multiple of them, read a few KiB at a time like a slow client.
        var data = RandomNumberGenerator.GetBytes(4 * VolumeStreamPump.BufferBytes + 12345);
        await ops.UploadAsync(host.Id, storage.PoolName, "trickle.img", new TricklingStream(data, 7001), (ulong)data.Length, overwrite: false);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(storage.PoolPath, "trickle.img"))));

        // The browser goes away after the first chunk: the download stops with that error instead of hanging.
        var broken = new FailingDestination(writesBeforeFailure: 1, fail: () => throw new IOException("The client went away."));
        var failure = await Assert.ThrowsAsync<IOException>(() => ops.DownloadAsync(host.Id, storage.PoolName, "trickle.img", broken));
        Assert.Equal("The client went away.", failure.Message);

        using var cancel = new CancellationTokenSource();
        var cancelling = new FailingDestination(writesBeforeFailure: 1, fail: cancel.Cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ops.DownloadAsync(host.Id, storage.PoolName, "trickle.img", cancelling, cancellationToken: cancel.Token));

        // Neither left anything behind that spoils the next download.
        using var again = new MemoryStream();
        await ops.DownloadAsync(host.Id, storage.PoolName, "trickle.img", again);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(again.ToArray()));
        await ops.DeleteVolumeAsync(host.Id, storage.PoolName, "trickle.img");
        Assert.DoesNotContain("trickle.img", storage.VolumeNames());
    }

    private static string AddDisk(XElement domain, string path)
    {
        domain.Element("devices")!.AddFirst(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2")),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));
        return domain.ToString();
    }

    private static JsonElement QemuImg(string path)
    {
        var start = new ProcessStartInfo("qemu-img", ["info", "--output=json", "-U", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [Fact]
    public async Task A_cancelled_copy_is_removed_once_libvirt_has_finished_it_and_the_source_stays()
    {
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var ops = hypervisor.StorageOps;
        var pool = storage.PoolName;
        await ops.CreateVolumeAsync(host.Id, new VolumeSpec(pool, "source.raw", 16 << 20, VolumeFormat.Raw, Preallocation.Full));
        using var cancel = new CancellationTokenSource();
        var reports = new List<TransferProgress>();

        // Cancelled as soon as the copy reports its start: libvirt's copy runs to its end, and then goes.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ops.CopyVolumeAsync(host.Id,
            new VolumeCopySpec(pool, "source.raw", pool, "copy.raw", null), new SyncProgress(p => { reports.Add(p); cancel.Cancel(); }), cancel.Token));

        Assert.Equal(new TransferProgress(0, 16UL << 20), reports[0]);
        var names = (await ops.ListVolumesAsync(host.Id, pool)).Select(v => v.Name).ToList();
        Assert.Equal(["source.raw"], names);
    }

    private sealed class SyncProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        private readonly Lock _gate = new();

        public void Report(TransferProgress value)
        {
            lock (_gate) report(value);
        }
    }

    /// <summary>Gives at most <c>most</c> bytes per read.</summary>
    private sealed class TricklingStream(byte[] data, int most) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], cancellationToken);
    }

    /// <summary>Accepts <c>writesBeforeFailure</c> writes, then calls <c>fail</c> on every write.</summary>
    private sealed class FailingDestination(int writesBeforeFailure, Action fail) : MemoryStream
    {
        private int _writes;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++_writes > writesBeforeFailure) fail();
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    /// <summary>Gives <c>stallAfter</c> bytes, then waits (until cancelled) like a client that stopped sending.</summary>
    private sealed class StallingStream(byte[] data, int stallAfter) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task Stalled => _stalled.Task;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= stallAfter)
            {
                _stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var n = Math.Min(buffer.Length, stallAfter - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
