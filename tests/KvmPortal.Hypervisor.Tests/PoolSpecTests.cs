using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Pool specs per type: validation, XML, capabilities, and defining every type on libvirt's test driver.</summary>
public sealed class PoolSpecTests
{
    private static readonly PoolSpec[] Specs =
    [
        new PoolSpec { Name = "p-dir", Type = PoolType.Dir, TargetPath = "/srv/images" },
        new PoolSpec { Name = "p-fs", Type = PoolType.Fs, SourceDevice = "/dev/sdb1", SourceFormat = "ext4", TargetPath = "/mnt/fs" },
        new PoolSpec { Name = "p-netfs", Type = PoolType.Netfs, SourceHost = "nfs.example.com", SourcePath = "/export/vm", TargetPath = "/mnt/nfs" },
        new PoolSpec { Name = "p-logical", Type = PoolType.Logical, SourceName = "vg0" },
        new PoolSpec { Name = "p-disk", Type = PoolType.Disk, SourceDevice = "/dev/sdc", SourceFormat = "gpt" },
        new PoolSpec { Name = "p-iscsi", Type = PoolType.Iscsi, SourceHost = "192.0.2.10", SourcePath = "iqn.2004-04.com.example:storage.disk1" },
        new PoolSpec { Name = "p-rbd", Type = PoolType.Rbd, Monitors = ["mon1.example.com:6789", "mon2.example.com"], SourceName = "rbdpool", AuthUser = "libvirt", AuthSecretUuid = Guid.Parse("2ec115d7-3a88-3ceb-bc12-0ac909a6fd87") },
        new PoolSpec { Name = "p-gluster", Type = PoolType.Gluster, SourceHost = "gluster.example.com", SourceName = "gv0", SourcePath = "/vms" },
    ];

    public static TheoryData<PoolSpec> EveryType() => new(Specs);

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Valid_specs_build_xml_of_their_type(PoolSpec spec)
    {
        Assert.Empty(PoolSpecValidator.Validate(spec, []));
        var xml = XElement.Parse(PoolXmlBuilder.Build(spec));
        Assert.Equal(PoolTypes.LibvirtName(spec.Type), (string?)xml.Attribute("type"));
        Assert.Equal(spec.Name, xml.Element("name")!.Value);
    }

    [Fact]
    public void Rbd_xml_has_monitors_with_ports_and_ceph_auth()
    {
        var spec = Specs.Single(s => s.Type == PoolType.Rbd);
        var source = XElement.Parse(PoolXmlBuilder.Build(spec)).Element("source")!;
        Assert.Equal(["mon1.example.com", "mon2.example.com"], source.Elements("host").Select(h => (string?)h.Attribute("name")));
        Assert.Equal("6789", (string?)source.Element("host")!.Attribute("port"));
        Assert.Equal("ceph", (string?)source.Element("auth")!.Attribute("type"));
        Assert.Equal("2ec115d7-3a88-3ceb-bc12-0ac909a6fd87", (string?)source.Element("auth")!.Element("secret")!.Attribute("uuid"));
    }

    [Fact]
    public void Hostile_values_are_refused_and_missing_ones_named()
    {
        var problems = PoolSpecValidator.Validate(new PoolSpec { Name = "a'/><pool", Type = PoolType.Netfs, SourceHost = "x y", SourcePath = "../etc", TargetPath = "" }, []);
        Assert.Equal(["Name", "SourceHost", "SourcePath", "TargetPath"], problems.Select(p => p.Field).Order());
        Assert.Contains(PoolSpecValidator.Validate(new PoolSpec { Name = "taken", TargetPath = "/x" }, ["taken"]), p => p.Field == "Name");
        Assert.Contains(PoolSpecValidator.Validate(new PoolSpec { Name = "r", Type = PoolType.Rbd, SourceName = "p", AuthUser = "u" }, []), p => p.Field == "AuthSecretUuid");
    }

    [Fact]
    public void Capabilities_mark_unbuilt_and_unknown_types_with_a_reason()
    {
        var types = StorageOperations.ParsePoolCapabilities(
            "<storagepoolCapabilities><pool type='dir' supported='yes'/><pool type='rbd' supported='no'/></storagepoolCapabilities>");
        Assert.True(types.Single(t => t.Type == PoolType.Dir).Supported);
        Assert.Contains("built without", types.Single(t => t.Type == PoolType.Rbd).Reason);
        Assert.Contains("does not know", types.Single(t => t.Type == PoolType.Gluster).Reason);
    }

    [Fact]
    public async Task Every_type_is_defined_and_undefined_on_the_test_driver()
    {
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach("test:///default");
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        Assert.NotEmpty(await hypervisor.StorageOps.GetPoolTypesAsync(host.Id));
        foreach (var spec in Specs)
        {
            await hypervisor.StorageOps.DefinePoolAsync(host.Id, spec, build: false, start: false, autostart: false);
            var pool = (await hypervisor.Storage.ListPoolsAsync(host.Id)).Single(p => p.Name == spec.Name);
            Assert.Equal(PoolTypes.LibvirtName(spec.Type), pool.Type);
            Assert.Equal(PoolState.Inactive, pool.State);
            await hypervisor.StorageOps.DeletePoolAsync(host.Id, spec.Name, deleteStorage: false);
            Assert.DoesNotContain(await hypervisor.Storage.ListPoolsAsync(host.Id), p => p.Name == spec.Name);
        }
    }
}
