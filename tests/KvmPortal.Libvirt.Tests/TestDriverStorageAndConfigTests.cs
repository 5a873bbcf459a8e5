using System.Xml.Linq;

namespace KvmPortal.Libvirt.Tests;

/// <summary>
/// Storage and domain changes against libvirt's test driver. Its state is shared by connections open at the same
/// time, so every test uses uniquely named objects and only reads "default-pool" and the "test" domain.
/// </summary>
public sealed class TestDriverStorageAndConfigTests : IDisposable
{
    private const string Uri = "test:///default";

    private readonly Connection _connection = Connection.Open(Uri);
    private readonly List<string> _domains = [];

    public void Dispose()
    {
        foreach (string name in _domains)
        {
            try
            {
                using Domain domain = _connection.LookupDomainByName(name);
                if (domain.IsActive)
                {
                    domain.Destroy();
                }
                domain.Undefine(UndefineFlags.ManagedSave);
            }
            catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
            {
            }
        }
        _connection.Dispose();
    }

    [Fact]
    public void Lists_and_looks_up_the_default_pool()
    {
        var pools = _connection.ListAllStoragePools();
        try
        {
            StoragePool pool = Assert.Single(pools, p => p.Name == "default-pool");
            Assert.True(pool.IsActive);
            Assert.True(pool.IsPersistent);
            Assert.NotEqual(Guid.Empty, pool.Uuid);
        }
        finally
        {
            foreach (var pool in pools)
            {
                pool.Dispose();
            }
        }

        using StoragePool byName = _connection.LookupStoragePoolByName("default-pool");
        StoragePoolInfo info = byName.GetInfo();
        Assert.Equal(StoragePoolState.Running, info.State);
        Assert.True(info.CapacityBytes > 0);
        Assert.True(info.CapacityBytes >= info.AllocationBytes);
        Assert.Equal("default-pool", XElement.Parse(byName.GetXmlDescription()).Element("name")!.Value);
        byName.Refresh();
    }

    [Fact]
    public void Missing_pool_throws_no_storage_pool()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.LookupStoragePoolByName(DomainXml.UniqueName("nopool-")));
        Assert.Equal(ErrorCode.NoStoragePool, error.ErrorCode);
    }

    [Fact]
    public void Volume_create_lookup_info_path_and_delete()
    {
        using StoragePool pool = _connection.LookupStoragePoolByName("default-pool");
        string name = DomainXml.UniqueName("vol-") + ".img";
        string xml = new XElement("volume",
            new XElement("name", name),
            new XElement("capacity", new XAttribute("unit", "bytes"), 8 * 1024 * 1024)).ToString();

        using StorageVolume volume = pool.CreateVolume(xml);
        try
        {
            Assert.Equal(name, volume.Name);
            Assert.Equal(8UL * 1024 * 1024, volume.GetInfo().CapacityBytes);
            string path = volume.GetPath();
            Assert.EndsWith(name, path);
            Assert.Equal(name, XElement.Parse(volume.GetXmlDescription()).Element("name")!.Value);

            using StorageVolume byName = pool.LookupVolumeByName(name);
            Assert.Equal(path, byName.GetPath());
            using StorageVolume byPath = _connection.LookupStorageVolumeByPath(path);
            Assert.Equal(name, byPath.Name);
            using StoragePool owner = byPath.GetPool();
            Assert.Equal("default-pool", owner.Name);
            Assert.Contains(pool.ListAllVolumes(), v => v.Name == name);
        }
        finally
        {
            volume.Delete();
        }
        var error = Assert.Throws<LibvirtException>(() => pool.LookupVolumeByName(name));
        Assert.Equal(ErrorCode.NoStorageVol, error.ErrorCode);
    }

    [Fact]
    public void Vcpus_and_memory_of_a_defined_domain()
    {
        using Domain domain = Define(vcpus: 1, maxVcpus: 4, memoryMiB: 64, maxMemoryMiB: 128);

        Assert.Equal(4, domain.GetVcpusCount(DomainVcpuFlags.Config | DomainVcpuFlags.Maximum));
        Assert.Equal(1, domain.GetVcpusCount(DomainVcpuFlags.Config));
        domain.SetVcpus(3, DomainVcpuFlags.Config);
        Assert.Equal(3, domain.GetVcpusCount(DomainVcpuFlags.Config));
        var tooMany = Assert.Throws<LibvirtException>(() => domain.SetVcpus(5, DomainVcpuFlags.Config));
        Assert.NotEqual(0, tooMany.Code);

        Assert.Equal(128UL * 1024, domain.GetMaxMemory());
        domain.SetMemory(96 * 1024, DomainMemoryFlags.Config);
        Assert.Equal(96UL * 1024, domain.GetInfo().MemoryKiB);
    }

    [Fact]
    public void Title_and_description_round_trip()
    {
        using Domain domain = Define();
        Assert.Null(domain.GetMetadata(DomainMetadataType.Title));
        const string hostile = "a'/><disk \"x\" & ünï ☃";
        domain.SetMetadata(DomainMetadataType.Title, "My title");
        domain.SetMetadata(DomainMetadataType.Description, hostile);
        Assert.Equal("My title", domain.GetMetadata(DomainMetadataType.Title));
        Assert.Equal(hostile, domain.GetMetadata(DomainMetadataType.Description));
        Assert.Equal(hostile, XElement.Parse(domain.GetXmlDescription()).Element("description")!.Value);
        domain.SetMetadata(DomainMetadataType.Title, null);
        Assert.Null(domain.GetMetadata(DomainMetadataType.Title));
    }

    [Fact]
    public void Rename_an_inactive_domain()
    {
        using Domain domain = Define();
        string newName = DomainXml.UniqueName("renamed-");
        _domains.Add(newName);
        domain.Rename(newName);
        using Domain found = _connection.LookupDomainByName(newName);
        Assert.Equal(domain.Uuid, found.Uuid);
        Assert.Equal(newName, found.Name);
    }

    [Fact]
    public void Managed_save_and_restore()
    {
        using Domain domain = Define();
        domain.Create();
        Assert.False(domain.HasManagedSaveImage());
        domain.ManagedSave();
        Assert.True(domain.HasManagedSaveImage());
        Assert.Equal(DomainState.Shutoff, domain.GetState().State);

        domain.Create(); // restores from the image
        Assert.Equal(DomainState.Running, domain.GetState().State);
        Assert.False(domain.HasManagedSaveImage());

        domain.ManagedSave();
        domain.ManagedSaveRemove();
        Assert.False(domain.HasManagedSaveImage());
    }

    private Domain Define(int vcpus = 1, int maxVcpus = 2, int memoryMiB = 64, int maxMemoryMiB = 64)
    {
        string name = DomainXml.UniqueName("config-");
        _domains.Add(name);
        string xml = new XElement("domain",
            new XAttribute("type", "test"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), maxMemoryMiB),
            new XElement("currentMemory", new XAttribute("unit", "MiB"), memoryMiB),
            new XElement("vcpu", new XAttribute("current", vcpus), maxVcpus),
            new XElement("os", new XElement("type", "hvm"))).ToString();
        return _connection.DefineDomain(xml);
    }
}
