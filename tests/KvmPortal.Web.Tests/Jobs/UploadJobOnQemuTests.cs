using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Jobs;

/// <summary>
/// A volume upload as a job on the real qemu:///system, into a pool of its own (kvmportal-test-jobs-*, removed after):
/// the job shows the bytes sent of the total, and cancelling it stops the transfer and leaves no volume behind.
/// </summary>
public sealed class UploadJobOnQemuTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const ulong Length = 64UL << 20;
    private const ulong SentBeforeStall = 8UL << 20;

    [Fact]
    public async Task An_upload_job_reports_its_bytes_and_cancelling_it_leaves_no_volume()
    {
        await using var hypervisor = new RealHypervisor();
        var host = hypervisor.Attach("local", "qemu:///system");
        await hypervisor.WaitUntilAsync(s => s.Hosts.TryGetValue(host.Id, out var h) && h.Status == HostStatus.Online, "qemu:///system is online");
        using var pool = new ScratchPool();
        var storage = hypervisor.Get<IStorageOperations>();
        var runner = app.Services.GetRequiredService<JobRunner>();
        var owner = new Actor("upload-owner-" + Guid.NewGuid().ToString("N"), "dora", null);
        var source = new StallingStream(Length, SentBeforeStall);

        var handle = await runner.StartAsync(owner, new JobRequest(JobKinds.VolumeUpload, new AuditTarget(host.Id, host.Name, Pool: pool.Name, Volume: "big.img"),
            $"{pool.Name}/big.img"), async job =>
        {
            await storage.UploadAsync(host.Id, pool.Name, "big.img", source, Length, overwrite: false, JobProgressAdapter.Transfer(job.Progress), job.CancellationToken);
            return JobOutcome.Done;
        });

        // Chunks are whole libvirt packets, so the last one before the stall ends a little short of 8 MiB.
        await Eventually.WaitAsync(() => runner.Find(handle.Started.Id)?.Progress?.DoneBytes > SentBeforeStall - (1UL << 20), "the first 7 MiB are reported");
        var progress = runner.Find(handle.Started.Id)!.Progress!.Value;
        Assert.Equal(Length, progress.TotalBytes);
        Assert.InRange(progress.DoneBytes, SentBeforeStall - (1UL << 20), SentBeforeStall);
        Assert.InRange(progress.Percent!.Value, 10.9, 12.5);
        Assert.Contains("big.img", pool.VolumeNames()); // being written

        Assert.True(await runner.CancelAsync(handle.Started.Id, owner));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        var stored = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == handle.Started.Id);
        Assert.Equal(JobState.Cancelled, stored.State);
        Assert.Equal((long)progress.DoneBytes, stored.DoneBytes);
        Assert.Empty(pool.VolumeNames());
    }

    /// <summary>Serves <c>length</c> bytes, but after <c>stallAfter</c> of them waits until the read is cancelled (a slow browser).</summary>
    private sealed class StallingStream(ulong length, ulong stallAfter) : System.IO.Stream
    {
        private ulong position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position >= stallAfter)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            var count = (int)Math.Min((ulong)buffer.Length, Math.Min(length, stallAfter) - position);
            buffer.Span[..count].Fill(0x5a);
            position += (ulong)count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => (long)length;
        public override long Position { get => (long)position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A dir pool kvmportal-test-jobs-* under /var/lib/libvirt/images, deleted with its volumes on dispose.</summary>
    private sealed class ScratchPool : IDisposable
    {
        private readonly Connection connection = Connection.Open("qemu:///system");

        public ScratchPool()
        {
            Name = "kvmportal-test-jobs-" + Guid.NewGuid().ToString("N")[..8];
            using var pool = connection.DefineStoragePool(new XElement("pool", new XAttribute("type", "dir"), new XElement("name", Name),
                new XElement("target", new XElement("path", Path.Combine("/var/lib/libvirt/images", Name)))).ToString());
            pool.Build();
            pool.Create();
        }

        public string Name { get; }

        public IReadOnlyList<string> VolumeNames()
        {
            using var pool = connection.LookupStoragePoolByName(Name);
            pool.Refresh();
            return [.. pool.ListAllVolumes().Select(v => { using (v) return v.Name; })];
        }

        public void Dispose()
        {
            using (var pool = connection.LookupStoragePoolByName(Name))
            {
                foreach (var volume in pool.ListAllVolumes())
                    using (volume) volume.Delete();
                pool.Destroy();
                pool.Delete();
                pool.Undefine();
            }
            connection.Dispose();
        }
    }
}
