using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Clones of sources with fixed console ports or disks no overlay can use, on qemu:///system.</summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class CloneEdgeCasesTests
{
    [Fact]
    public async Task A_tcp_serial_port_gets_the_next_port_no_vm_on_the_host_uses_so_clone_and_source_run_together()
    {
        var port = Random.Shared.Next(20000, 30000);
        using var source = new SnapshotDomain();
        source.Redefine(xml => xml.Element("devices")!.Add(TcpSerial(port)));
        using var connection = TestDomains.OpenSystem();
        var neighbour = TestDomains.NewName(); // already listens on the next port
        var neighbourXml = XElement.Parse(TestDomains.TinyDomainXml(neighbour));
        neighbourXml.Element("devices")!.Add(TcpSerial(port + 1));
        connection.DefineDomain(neighbourXml.ToString()).Dispose();
        var name = TestDomains.NewName();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        try
        {
            var clone = await hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name));

            using var domain = connection.LookupDomainByUuid(clone.Uuid);
            Assert.Equal([port + 2], ListeningPorts(domain.GetXmlDescription(DomainXmlFlags.Inactive)));
            using (var original = source.Lookup())
            {
                Assert.Equal([port], ListeningPorts(original.GetXmlDescription(DomainXmlFlags.Inactive)));
                original.Create();
            }
            domain.Create(); // with the source's port QEMU could not bind it
            Assert.True(domain.IsActive);
        }
        finally
        {
            TestDomains.Remove(connection, name);
            TestDomains.Remove(connection, neighbour);
        }
    }

    [Fact]
    public async Task A_disk_whose_volume_is_not_a_file_is_refused_for_a_linked_clone_and_nothing_is_made()
    {
        using var source = new SnapshotDomain();
        // A folder in a dir pool is a volume of type "dir": nothing a qcow2 overlay can name as its backing file.
        Directory.CreateDirectory(Path.Combine(source.PoolPath, "folder"));
        TestStorage.Virsh("pool-refresh", source.PoolName);
        source.Redefine(xml => xml.Element("devices")!.Add(new XElement("disk", new XAttribute("type", "volume"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
            new XElement("source", new XAttribute("pool", source.PoolName), new XAttribute("volume", "folder")),
            new XElement("target", new XAttribute("dev", "vdb"), new XAttribute("bus", "virtio")))));
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, source);
        var name = TestDomains.NewName();

        var refusal = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Cloning.CloneAsync(vm, new CloneSpec(name, Linked: true)));

        Assert.Equal(HypervisorErrorKind.CloneDiskNotLinkable, refusal.Kind);
        Assert.Equal(["vdb", source.PoolName], refusal.Arguments);
        Assert.Contains("Make a full clone", refusal.Message);
        using var connection = TestDomains.OpenSystem();
        Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => connection.LookupDomainByName(name).Dispose()).ErrorCode);
        Assert.DoesNotContain(Directory.GetFiles(source.PoolPath), f => Path.GetFileName(f).StartsWith(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_listening_tcp_and_udp_sources_get_new_ports()
    {
        var devices = new XElement("devices",
            TcpSerial(4555),
            new XElement("console", new XAttribute("type", "tcp"), new XElement("source", new XAttribute("mode", "bind"), new XAttribute("service", "4555"))),
            new XElement("channel", new XAttribute("type", "udp"),
                new XElement("source", new XAttribute("mode", "bind"), new XAttribute("service", "5000")),
                new XElement("source", new XAttribute("mode", "connect"), new XAttribute("service", "5001"))),
            new XElement("serial", new XAttribute("type", "tcp"), new XElement("source", new XAttribute("mode", "connect"), new XAttribute("service", "6000"))),
            new XElement("serial", new XAttribute("type", "pty")));

        ClonePorts.Apply(devices, new Dictionary<int, int> { [4555] = 4556, [5000] = 5002, [6000] = 6001 });

        Assert.Equal([4556, 4556, 5002], ClonePorts.BoundPorts(new XElement("domain", devices)));
        Assert.Equal(["5001", "6000"], devices.Descendants("source").Where(s => (string?)s.Attribute("mode") == "connect").Select(s => (string)s.Attribute("service")!));
    }

    private static XElement TcpSerial(int port) =>
        new("serial", new XAttribute("type", "tcp"),
            new XElement("source", new XAttribute("mode", "bind"), new XAttribute("host", "127.0.0.1"), new XAttribute("service", port)),
            new XElement("protocol", new XAttribute("type", "raw")),
            new XElement("target", new XAttribute("port", 0)));

    private static List<int> ListeningPorts(string xml) => ClonePorts.BoundPorts(XElement.Parse(xml)).Distinct().ToList();

    private static async Task<VmKey> AttachAsync(HypervisorHarness hypervisor, SnapshotDomain domain)
    {
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        return new VmKey(host.Id, domain.Uuid);
    }
}
