using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Clones of shut-off kvmportal-test-* domains on qemu:///system, in temporary pools.</summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class VmCloningTests
{
    private const string SourceMac = "52:54:00:aa:bb:01";
    private static readonly XNamespace Ownership = "https://kvmportal.dev/xmlns/ownership/1";

    [Fact]
    public async Task A_full_clone_copies_the_disk_and_gets_a_new_name_uuid_and_mac()
    {
        using var source = new SnapshotDomain(withCdrom: true);
        source.Redefine(xml =>
        {
            xml.Element("devices")!.Add(new XElement("interface", new XAttribute("type", "network"),
                new XElement("mac", new XAttribute("address", SourceMac)), new XElement("source", new XAttribute("network", source.NetworkName))));
            xml.Add(new XElement("metadata", new XElement(Ownership + "owner", new XAttribute(XNamespace.Xmlns + "kpo", Ownership), new XAttribute("team", "t1"))));
        });
        source.WriteMarker("ORIGIN");
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();
        var progress = new ProgressLog();
        using var connection = TestDomains.OpenSystem();
        try
        {
            var clone = await hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name), progress);

            Assert.NotEqual(source.Uuid, clone.Uuid);
            using var domain = connection.LookupDomainByUuid(clone.Uuid);
            Assert.Equal(name, domain.Name);
            var devices = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("devices")!;
            var mac = (string)devices.Element("interface")!.Element("mac")!.Attribute("address")!;
            Assert.NotEqual(SourceMac, mac);
            Assert.StartsWith("52:54:00:", mac);
            var newPath = Path.Combine(source.PoolPath, $"{name}-vda.qcow2");
            Assert.Equal(newPath, DiskSource(devices, "vda"));
            Assert.Equal(DiskSource(SourceDevices(source), "sda"), DiskSource(devices, "sda")); // the CD-ROM is shared
            Assert.Equal("ORIGIN", SnapshotDomain.ReadStart(newPath, "qcow2", 6));
            Assert.DoesNotContain(Ownership.NamespaceName, domain.GetXmlDescription(DomainXmlFlags.Inactive));

            source.WriteMarker("LATER!"); // the copy is independent of the source
            Assert.Equal("ORIGIN", SnapshotDomain.ReadStart(newPath, "qcow2", 6));
            var last = progress.Reports[^1];
            Assert.Equal(("vda", 1, 1), (last.Disk, last.DiskNumber, last.DiskCount));
            Assert.Equal(last.Transfer.TotalBytes, last.Transfer.DoneBytes);
        }
        finally
        {
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task A_full_clone_goes_to_the_target_pool_in_the_same_format()
    {
        using var source = new SnapshotDomain(format: "raw");
        using var target = new TestStorage();
        source.WriteMarker("RAWSRC");
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();
        using var connection = TestDomains.OpenSystem();
        try
        {
            var clone = await hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, target.PoolName));

            Assert.Equal([$"{name}-vda.img"], target.VolumeNames());
            using var domain = connection.LookupDomainByUuid(clone.Uuid);
            var devices = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("devices")!;
            var newPath = Path.Combine(target.PoolPath, $"{name}-vda.img");
            Assert.Equal(newPath, DiskSource(devices, "vda"));
            Assert.Equal("RAWSRC", SnapshotDomain.ReadStart(newPath, "raw", 6));
        }
        finally
        {
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task A_linked_clone_is_a_qcow2_overlay_backed_by_the_source_volume()
    {
        using var source = new SnapshotDomain(format: "raw");
        source.WriteMarker("BACKED");
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();
        using var connection = TestDomains.OpenSystem();
        try
        {
            var clone = await hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, Linked: true));

            var info = await hypervisor.StorageOps.GetVolumeInfoAsync(vm.HostId, source.PoolName, $"{name}-vda.qcow2");
            Assert.Equal("qcow2", info.Format);
            Assert.Equal(source.DiskPath, Assert.Single(info.BackingChain).Path);
            using var domain = connection.LookupDomainByUuid(clone.Uuid);
            var disk = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("devices")!.Element("disk")!;
            Assert.Equal("qcow2", (string?)disk.Element("driver")!.Attribute("type"));
            Assert.Equal("BACKED", SnapshotDomain.ReadStart(info.Path, "qcow2", 6));
        }
        finally
        {
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task A_running_source_is_refused_and_nothing_is_made()
    {
        using var source = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        using (var domain = source.Lookup()) domain.Create();
        var name = TestDomains.NewName();

        var refusal = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name)));

        Assert.Equal(HypervisorErrorKind.InvalidState, refusal.Kind);
        Assert.Contains("shut off", refusal.Message);
        Assert.Equal(["disk.qcow2"], VolumesOf(source));
        AssertNoDomain(name);
    }

    [Fact]
    public async Task A_failure_on_the_second_disk_removes_the_first_copy_and_defines_nothing()
    {
        using var source = new SnapshotDomain();
        var name = TestDomains.NewName();
        string dataPath;
        using (var data = source.CreateVolume("data.qcow2", 1 << 20, "qcow2")) dataPath = data.GetPath();
        source.Redefine(xml => xml.Element("devices")!.Add(FileDisk(dataPath, "vdb", "qcow2")));
        using (source.CreateVolume($"{name}-vdb.qcow2", 1 << 20, "qcow2")) { } // the clash
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);

        var failure = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name)));

        Assert.Equal(HypervisorErrorKind.CreateFailed, failure.Kind);
        Assert.Contains("vdb", failure.Message);
        Assert.Contains("Nothing was left behind", failure.Message);
        Assert.Equal(["data.qcow2", "disk.qcow2", $"{name}-vdb.qcow2"], VolumesOf(source));
        AssertNoDomain(name);
    }

    [Fact]
    public async Task A_disk_outside_every_pool_and_bad_requests_are_refused_before_anything_is_made()
    {
        using var source = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();

        var slash = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec("a/b")));
        Assert.Equal("NameHasSlash", Assert.Single(slash.Problems).Key);
        var taken = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(source.Name)));
        Assert.Equal("VmNameTaken", Assert.Single(taken.Problems).Key);
        var linkedPool = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, source.PoolName, Linked: true)));
        Assert.Equal("LinkedCloneOwnPool", Assert.Single(linkedPool.Problems).Key);
        var noPool = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, "kvmportal-test-no-such-pool")));
        Assert.Equal("PoolMissing", Assert.Single(noPool.Problems).Key);

        var outside = $"/var/tmp/{TestDomains.NewName()}.img";
        source.Redefine(xml => xml.Element("devices")!.Add(FileDisk(outside, "vdb", "raw")));
        var refusal = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name)));
        Assert.Equal(HypervisorErrorKind.CloneDiskNotInPool, refusal.Kind);
        Assert.Equal(["vdb", outside], refusal.Arguments);
        Assert.Equal(["disk.qcow2"], VolumesOf(source));
        AssertNoDomain(name);
    }

    private static XElement FileDisk(string path, string target, string format) =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", format)),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", "virtio")));

    private static XElement SourceDevices(SnapshotDomain source)
    {
        using var domain = source.Lookup();
        return XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive)).Element("devices")!;
    }

    private static string? DiskSource(XElement devices, string target) =>
        (string?)devices.Elements("disk").Single(d => (string?)d.Element("target")!.Attribute("dev") == target).Element("source")!.Attribute("file");

    private static List<string> VolumesOf(SnapshotDomain source)
    {
        using var connection = TestDomains.OpenSystem();
        using var pool = connection.LookupStoragePoolByName(source.PoolName);
        pool.Refresh();
        var volumes = pool.ListAllVolumes();
        var names = volumes.Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var volume in volumes) volume.Dispose();
        return names;
    }

    private static void AssertNoDomain(string name)
    {
        using var connection = TestDomains.OpenSystem();
        var missing = Assert.Throws<LibvirtException>(() => connection.LookupDomainByName(name).Dispose());
        Assert.Equal(ErrorCode.NoDomain, missing.ErrorCode);
    }

    private static async Task<VmKey> AttachAsync(HypervisorHarness hypervisor, SnapshotDomain domain)
    {
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        return new VmKey(host.Id, domain.Uuid);
    }

    /// <summary>Records reports as they come (Progress&lt;T&gt; would post them later).</summary>
    private sealed class ProgressLog : IProgress<CloneProgress>
    {
        private readonly List<CloneProgress> _reports = [];

        public IReadOnlyList<CloneProgress> Reports
        {
            get
            {
                lock (_reports) return _reports.ToList();
            }
        }

        public void Report(CloneProgress value)
        {
            lock (_reports) _reports.Add(value);
        }
    }
}
