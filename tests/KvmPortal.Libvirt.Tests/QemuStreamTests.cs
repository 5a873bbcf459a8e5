using System.Diagnostics;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Streams, upload/download, resize, wipe and copy of volumes on the real daemon, in a temporary dir pool
/// kvmportal-test-pool-* under /var/lib/libvirt/images that is always removed.
/// </summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuStreamTests : IDisposable
{
    private readonly Connection _connection = QemuSystem.Open();
    private readonly string _poolName = DomainXml.UniqueName("kvmportal-test-pool-");
    private readonly string _poolPath;
    private readonly StoragePool _pool;

    public QemuStreamTests()
    {
        _poolPath = Path.Combine("/var/lib/libvirt/images", _poolName);
        _pool = _connection.DefineStoragePool(new XElement("pool", new XAttribute("type", "dir"),
            new XElement("name", _poolName), new XElement("target", new XElement("path", _poolPath))).ToString());
        _pool.Build();
        _pool.Create();
    }

    public void Dispose()
    {
        try
        {
            if (_pool.IsActive)
            {
                foreach (var volume in _pool.ListAllVolumes())
                {
                    using (volume) volume.Delete();
                }
                _pool.Destroy();
            }
            _pool.Undefine();
            _pool.Dispose();
        }
        finally
        {
            if (Directory.Exists(_poolPath)) Directory.Delete(_poolPath, recursive: true);
            _connection.Dispose();
        }
    }

    [Fact]
    public void Upload_then_download_gives_the_same_bytes()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 12345);
        using var volume = CreateVolume("up.raw", (ulong)data.Length, "raw");

        using (var stream = _connection.NewStream())
        {
            volume.Upload(stream, 0, (ulong)data.Length);
            for (int offset = 0; offset < data.Length; offset += 256 * 1024)
            {
                stream.SendAll(data.AsSpan(offset, Math.Min(256 * 1024, data.Length - offset)));
            }
            stream.Finish();
        }
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(volume.GetPath())));

        using var download = _connection.NewStream();
        volume.Download(download, 0, 0);
        using var received = new MemoryStream();
        var buffer = new byte[256 * 1024];
        int n;
        while ((n = download.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        download.Finish();
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public void One_send_of_many_packets_arrives_whole_and_in_order()
    {
        // SendAll splits what it is given into packet-sized virStreamSend calls; the pieces must arrive as one.
        var data = RandomNumberGenerator.GetBytes(5 * KvmPortal.Libvirt.Stream.PacketPayloadBytes + 4321);
        using var volume = CreateVolume("one-send.raw", (ulong)data.Length, "raw");
        using (var stream = _connection.NewStream())
        {
            volume.Upload(stream, 0, (ulong)data.Length);
            stream.SendAll(data);
            stream.Finish();
        }
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(volume.GetPath())));
    }

    [Fact]
    public void Aborted_upload_reports_no_error_and_leaves_a_partial_volume()
    {
        using var volume = CreateVolume("aborted.raw", 4 * 1024 * 1024, "raw");
        using var stream = _connection.NewStream();
        volume.Upload(stream, 0, 4 * 1024 * 1024);
        stream.SendAll(new byte[64 * 1024]);
        stream.Abort();
        stream.Abort(); // idempotent
    }

    [Fact]
    public void Resize_wipe_and_copy_to_another_format()
    {
        using var volume = CreateVolume("disk.qcow2", 8 * 1024 * 1024, "qcow2");
        volume.Resize(16 * 1024 * 1024);
        Assert.Equal(16UL * 1024 * 1024, volume.GetInfo().CapacityBytes);
        var shrink = Assert.Throws<LibvirtException>(() => volume.Resize(4 * 1024 * 1024));
        Assert.NotEmpty(shrink.Message);

        using var raw = CreateVolume("plain.raw", 1024 * 1024, "raw");
        File.WriteAllBytes(raw.GetPath(), Enumerable.Repeat((byte)0xAB, 1024 * 1024).ToArray());
        raw.Wipe();
        Assert.All(File.ReadAllBytes(raw.GetPath()), b => Assert.Equal(0, b));

        var copyXml = new XElement("volume", new XElement("name", "copy.raw"),
            new XElement("capacity", new XAttribute("unit", "bytes"), 16 * 1024 * 1024),
            new XElement("target", new XElement("format", new XAttribute("type", "raw")))).ToString();
        using var copy = _pool.CreateVolumeFrom(copyXml, volume);
        Assert.Equal("raw", QemuImgFormat(copy.GetPath()));
        Assert.Equal(16UL * 1024 * 1024, copy.GetInfo().CapacityBytes);
    }

    [Fact]
    public void Pool_capabilities_list_the_dir_type()
    {
        var caps = XElement.Parse(_connection.GetStoragePoolCapabilities());
        var dir = caps.Elements("pool").Single(p => (string?)p.Attribute("type") == "dir");
        Assert.Equal("yes", (string?)dir.Attribute("supported"));
    }

    private StorageVolume CreateVolume(string name, ulong bytes, string format) =>
        _pool.CreateVolume(new XElement("volume", new XElement("name", name),
            new XElement("capacity", new XAttribute("unit", "bytes"), bytes),
            new XElement("target", new XElement("format", new XAttribute("type", format)))).ToString());

    private static string QemuImgFormat(string path)
    {
        var start = new ProcessStartInfo("qemu-img", ["info", "--output=json", "-U", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("format").GetString()!;
    }
}
