using System.Diagnostics;
using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// A shut-off kvmportal-test-* domain with one small disk (vda) in a temporary pool on qemu:///system; the disk's
/// guest-visible bytes are written and read with qemu-io / qemu-img, no guest needed. Removed with its snapshots.
/// </summary>
public sealed class SnapshotDomain : IDisposable
{
    private readonly TestStorage _storage = new();
    private readonly Connection _connection = TestDomains.OpenSystem();

    public SnapshotDomain(string format = "qcow2", bool withCdrom = false)
    {
        Name = TestDomains.NewName();
        Format = format;
        using (var volume = _storage.CreateVolume("disk." + format, 1 << 20, format)) DiskPath = volume.GetPath();
        var xml = XElement.Parse(TestDomains.TinyDomainXml(Name));
        var devices = xml.Element("devices")!;
        devices.AddFirst(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", format)),
            new XElement("source", new XAttribute("file", DiskPath)),
            new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));
        if (withCdrom)
        {
            var iso = Path.Combine(_storage.PoolPath, "media.iso");
            File.WriteAllBytes(iso, new byte[2048]);
            devices.Add(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "cdrom"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
                new XElement("source", new XAttribute("file", iso)),
                new XElement("target", new XAttribute("dev", "sda"), new XAttribute("bus", "sata")),
                new XElement("readonly")));
        }
        using var domain = _connection.DefineDomain(xml.ToString());
        Uuid = domain.Uuid;
    }

    public string Name { get; }
    public Guid Uuid { get; }
    public string Format { get; }
    public string DiskPath { get; }
    public string PoolPath => _storage.PoolPath;
    public string PoolName => _storage.PoolName;
    public string NetworkName => _storage.NetworkName;

    public StorageVolume CreateVolume(string name, ulong bytes, string format = "raw") => _storage.CreateVolume(name, bytes, format);

    /// <summary>Defines the domain again with <paramref name="change"/> applied to its inactive XML.</summary>
    public void Redefine(Action<XElement> change)
    {
        using var domain = Lookup();
        var xml = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive));
        change(xml);
        using var redefined = _connection.DefineDomain(xml.ToString());
    }

    public Domain Lookup() => _connection.LookupDomainByUuid(Uuid);

    /// <summary>Writes <paramref name="text"/> at the start of the disk as the guest sees it.</summary>
    public void WriteMarker(string text)
    {
        Run("qemu-io", "-f", Format, "-c", $"write -P 0 0 4k", DiskPath);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            Run("qemu-io", "-f", Format, "-c", $"write -s {file} 0 {text.Length}", DiskPath);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The first <paramref name="length"/> bytes of the disk as the guest sees it.</summary>
    public string ReadStart(int length) => ReadStart(DiskPath, Format, length);

    /// <summary>The first <paramref name="length"/> bytes of the image at <paramref name="path"/> as a guest sees them.</summary>
    public static string ReadStart(string path, string format, int length)
    {
        var raw = Path.GetTempFileName();
        try
        {
            Run("qemu-img", "convert", "-f", format, "-O", "raw", path, raw);
            using var stream = File.OpenRead(raw);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    public void Dispose()
    {
        try
        {
            using var domain = _connection.LookupDomainByUuid(Uuid);
            if (domain.IsActive) domain.Destroy();
            domain.Undefine(UndefineFlags.SnapshotsMetadata);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
        }
        finally
        {
            _storage.Dispose();
            _connection.Dispose();
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Contains("failed", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {output} {error.Result}");
    }
}
