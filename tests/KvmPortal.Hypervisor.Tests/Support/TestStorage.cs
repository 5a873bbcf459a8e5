using System.Diagnostics;
using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// A temporary dir pool (kvmportal-test-pool-*, under /var/lib/libvirt/images) and an isolated transient network
/// (kvmportal-test-net-*) on qemu:///system, removed with everything in them on dispose.
/// </summary>
public sealed class TestStorage : IDisposable
{
    private readonly Connection _connection;

    public TestStorage()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        PoolName = "kvmportal-test-pool-" + suffix;
        PoolPath = Path.Combine("/var/lib/libvirt/images", "kvmportal-test-" + suffix);
        NetworkName = "kvmportal-test-net-" + suffix;
        _connection = TestDomains.OpenSystem();
        try
        {
            using var pool = _connection.DefineStoragePool(new XElement("pool", new XAttribute("type", "dir"),
                new XElement("name", PoolName), new XElement("target", new XElement("path", PoolPath))).ToString());
            pool.Build();
            pool.Create();
            var network = new XElement("network", new XElement("name", NetworkName),
                new XElement("bridge", new XAttribute("name", "kvt" + suffix), new XAttribute("stp", "off")));
            var file = Path.GetTempFileName();
            try
            {
                File.WriteAllText(file, network.ToString());
                Virsh("net-create", file);
            }
            finally
            {
                File.Delete(file);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string PoolName { get; }
    public string PoolPath { get; }
    public string NetworkName { get; }

    public StorageVolume CreateVolume(string name, ulong bytes, string format = "raw")
    {
        using var pool = _connection.LookupStoragePoolByName(PoolName);
        return pool.CreateVolume(new XElement("volume", new XElement("name", name),
            new XElement("capacity", new XAttribute("unit", "bytes"), bytes),
            new XElement("target", new XElement("format", new XAttribute("type", format)))).ToString());
    }

    public IReadOnlyList<string> VolumeNames()
    {
        using var pool = _connection.LookupStoragePoolByName(PoolName);
        pool.Refresh();
        var volumes = pool.ListAllVolumes();
        var names = volumes.Select(v => v.Name).ToList();
        foreach (var volume in volumes) volume.Dispose();
        return names;
    }

    public void Dispose()
    {
        try
        {
            using var pool = _connection.LookupStoragePoolByName(PoolName);
            if (pool.IsActive)
            {
                foreach (var volume in pool.ListAllVolumes())
                {
                    using (volume) volume.Delete();
                }
                pool.Destroy();
            }
            pool.Undefine();
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
        {
        }
        finally
        {
            if (Directory.Exists(PoolPath)) Directory.Delete(PoolPath, recursive: true);
            try
            {
                Virsh("net-destroy", NetworkName);
            }
            catch (InvalidOperationException)
            {
            }
            _connection.Dispose();
        }
    }

    public static string Virsh(params string[] arguments)
    {
        var start = new ProcessStartInfo("virsh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(TestDomains.SystemUri);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start virsh");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"virsh {string.Join(' ', arguments)} failed: {error.Result}");
        return output;
    }
}
