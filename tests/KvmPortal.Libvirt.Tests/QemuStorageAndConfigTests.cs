using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Storage pools, volumes and live domain changes on the real daemon: a temporary dir pool under
/// /var/lib/libvirt/images and a tiny TCG guest, both named kvmportal-test-* and always removed.
/// </summary>
[Collection(QemuSystemCollection.Name)]
public sealed class QemuStorageAndConfigTests : IDisposable
{
    private readonly Connection _connection = QemuSystem.Open();
    private readonly string _poolName = DomainXml.UniqueName("kvmportal-test-pool-");
    private readonly string _domainName = DomainXml.UniqueName("kvmportal-test-");
    private readonly string _poolPath;

    public QemuStorageAndConfigTests()
    {
        _poolPath = Path.Combine("/var/lib/libvirt/images", _poolName);
    }

    public void Dispose()
    {
        try
        {
            try
            {
                using Domain domain = _connection.LookupDomainByName(_domainName);
                if (domain.IsActive)
                {
                    domain.Destroy();
                }
                domain.Undefine();
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
            {
            }
            try
            {
                using StoragePool pool = _connection.LookupStoragePoolByName(_poolName);
                if (!pool.IsActive)
                {
                    pool.Create();
                }
                foreach (var volume in pool.ListAllVolumes())
                {
                    using (volume)
                    {
                        volume.Delete();
                    }
                }
                pool.Destroy();
                pool.Delete();
                pool.Undefine();
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
            {
            }
        }
        finally
        {
            if (Directory.Exists(_poolPath))
            {
                Directory.Delete(_poolPath, recursive: true);
            }
            _connection.Dispose();
        }
    }

    [Fact]
    public void Dir_pool_lifecycle_and_qcow2_volume()
    {
        using StoragePool pool = DefineAndStartPool();
        Assert.True(pool.IsActive);
        Assert.True(Directory.Exists(_poolPath));
        StoragePoolInfo info = pool.GetInfo();
        Assert.Equal(StoragePoolState.Running, info.State);
        Assert.True(info.AvailableBytes > 0);
        Assert.Contains(_connection.ListAllStoragePools(ListAllStoragePoolsFlags.Active), p => p.Name == _poolName);

        string xml = new XElement("volume",
            new XElement("name", "disk.qcow2"),
            new XElement("capacity", new XAttribute("unit", "bytes"), 64L * 1024 * 1024),
            new XElement("target", new XElement("format", new XAttribute("type", "qcow2")))).ToString();
        using StorageVolume volume = pool.CreateVolume(xml, StorageVolumeCreateFlags.PreallocMetadata);
        string path = volume.GetPath();
        Assert.Equal(Path.Combine(_poolPath, "disk.qcow2"), path);
        Assert.True(File.Exists(path));
        Assert.Equal(64UL * 1024 * 1024, volume.GetInfo().CapacityBytes);
        Assert.Equal("qcow2", (string?)XElement.Parse(volume.GetXmlDescription()).Element("target")!.Element("format")!.Attribute("type"));

        using StorageVolume byPath = _connection.LookupStorageVolumeByPath(path);
        Assert.Equal("disk.qcow2", byPath.Name);
        var exists = Assert.Throws<LibvirtException>(() => pool.CreateVolume(xml));
        Assert.Equal(ErrorCode.StorageVolExist, exists.ErrorCode);

        byPath.Delete();
        Assert.False(File.Exists(path));
        pool.Refresh();
        Assert.Empty(pool.ListAllVolumes());

        pool.Destroy();
        Assert.False(pool.IsActive);
        pool.Delete();
        Assert.False(Directory.Exists(_poolPath));
        pool.Undefine();
        var gone = Assert.Throws<LibvirtException>(() => _connection.LookupStoragePoolByName(_poolName));
        Assert.Equal(ErrorCode.NoStoragePool, gone.ErrorCode);
    }

    [Fact]
    public void Live_vcpus_memory_and_disk_attach_on_a_running_guest()
    {
        using StoragePool pool = DefineAndStartPool();
        using StorageVolume volume = pool.CreateVolume(new XElement("volume",
            new XElement("name", "extra.raw"),
            new XElement("capacity", new XAttribute("unit", "MiB"), 8)).ToString());

        var domainXml = XElement.Parse(DomainXml.TinyQemu(_domainName));
        domainXml.Element("memory")!.Value = "128";
        domainXml.Element("vcpu")!.ReplaceWith(new XElement("vcpu", new XAttribute("current", 1), 2));
        domainXml.Element("os")!.AddAfterSelf(new XElement("features", new XElement("acpi"), new XElement("apic"))); // PCI hotplug needs ACPI
        using Domain domain = _connection.DefineDomain(domainXml.ToString(), DefineDomainFlags.Validate);
        domain.Create();

        Assert.Equal(2, domain.GetVcpusCount(DomainVcpuFlags.Live | DomainVcpuFlags.Maximum));
        domain.SetVcpus(2, DomainVcpuFlags.Live);
        Assert.Equal(2, domain.GetVcpusCount(DomainVcpuFlags.Live));
        Assert.Equal(1, domain.GetVcpusCount(DomainVcpuFlags.Config));

        Assert.Equal(128UL * 1024, domain.GetMaxMemory());
        domain.SetMemory(96 * 1024, DomainMemoryFlags.Config);
        var inactive = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive));
        Assert.Equal(96UL * 1024, ulong.Parse(inactive.Element("currentMemory")!.Value));
        domain.SetMemory(100 * 1024, DomainMemoryFlags.Live); // a balloon request; this guest has no driver to honour it

        string disk = new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
            new XElement("source", new XAttribute("file", volume.GetPath())),
            new XElement("target", new XAttribute("dev", "vdb"), new XAttribute("bus", "virtio"))).ToString();
        domain.AttachDevice(disk, DomainDeviceModifyFlags.Live | DomainDeviceModifyFlags.Config);
        Assert.Contains(XElement.Parse(domain.GetXmlDescription()).Element("devices")!.Elements("disk"),
            d => (string?)d.Element("target")?.Attribute("dev") == "vdb");
        domain.DetachDevice(disk, DomainDeviceModifyFlags.Config);
        Assert.DoesNotContain(XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("devices")!.Elements("disk"),
            d => (string?)d.Element("target")?.Attribute("dev") == "vdb");

        var running = Assert.Throws<LibvirtException>(() => domain.Rename(_domainName + "-x"));
        Assert.Equal(ErrorCode.OperationInvalid, running.ErrorCode);

        domain.Destroy();
    }

    private StoragePool DefineAndStartPool()
    {
        string xml = new XElement("pool", new XAttribute("type", "dir"),
            new XElement("name", _poolName),
            new XElement("target", new XElement("path", _poolPath))).ToString();
        StoragePool pool = _connection.DefineStoragePool(xml, DefineStoragePoolFlags.Validate);
        pool.Build();
        pool.Create();
        return pool;
    }
}
