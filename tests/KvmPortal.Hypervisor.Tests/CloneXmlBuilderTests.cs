using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms.Clone;

namespace KvmPortal.Hypervisor.Tests;

public sealed class CloneXmlBuilderTests
{
    private const string Source = """
        <domain type="kvm">
          <name>golden</name>
          <uuid>0b0d6c5e-0000-4000-8000-000000000001</uuid>
          <metadata>
            <kpo:owner xmlns:kpo="https://kvmportal.dev/xmlns/ownership/1" team="t1"/>
            <other:note xmlns:other="https://example.org/note">kept</other:note>
          </metadata>
          <os><type>hvm</type><loader readonly="yes" type="pflash">/usr/share/OVMF/OVMF_CODE.fd</loader><nvram>/var/lib/libvirt/qemu/nvram/golden_VARS.fd</nvram></os>
          <devices>
            <disk type="volume" device="disk"><driver name="qemu" type="raw"/><source pool="fast" volume="golden.img"/><target dev="vda" bus="virtio"/></disk>
            <disk type="file" device="disk"><source file="/p/data.qcow2"/><target dev="vdb" bus="virtio"/></disk>
            <disk type="file" device="cdrom"><source file="/p/media.iso"/><target dev="sda" bus="sata"/><readonly/></disk>
            <interface type="network"><mac address="52:54:00:aa:bb:01"/><source network="default"/></interface>
            <graphics type="vnc" port="5901" autoport="no" websocket="5701" listen="127.0.0.1"/>
          </devices>
        </domain>
        """;

    private static readonly ClonedDisk Vda = new("vda", "fast", "golden.img", "/f/golden.img", "raw", 1, 1, "slow", "copy-vda.img");
    private static readonly ClonedDisk Vdb = new("vdb", "p", "data.qcow2", "/p/data.qcow2", "qcow2", 1, 1, "p", "copy-vdb.qcow2");

    [Fact]
    public void The_clone_gets_its_name_and_new_volumes_and_loses_what_must_be_unique()
    {
        var xml = XElement.Parse(CloneXmlBuilder.Build(Source, "copy", [(Vda, "/s/copy-vda.img"), (Vdb, "/p/copy-vdb.qcow2")], linked: false));

        Assert.Equal("copy", (string?)xml.Element("name"));
        Assert.Null(xml.Element("uuid"));
        Assert.Null(xml.Element("os")!.Element("nvram"));
        Assert.NotNull(xml.Element("os")!.Element("loader"));
        var metadata = xml.Element("metadata")!;
        Assert.Equal(["note"], metadata.Elements().Select(e => e.Name.LocalName));
        var devices = xml.Element("devices")!;
        Assert.Null(devices.Element("interface")!.Element("mac"));
        var graphics = devices.Element("graphics")!;
        Assert.Equal(("yes", null, null, "127.0.0.1"), ((string?)graphics.Attribute("autoport"), (string?)graphics.Attribute("port"),
            (string?)graphics.Attribute("websocket"), (string?)graphics.Attribute("listen")));
        var disks = devices.Elements("disk").ToList();
        Assert.Equal(("slow", "copy-vda.img"), ((string?)disks[0].Element("source")!.Attribute("pool"), (string?)disks[0].Element("source")!.Attribute("volume")));
        Assert.Equal("raw", (string?)disks[0].Element("driver")!.Attribute("type"));
        Assert.Equal("/p/copy-vdb.qcow2", (string?)disks[1].Element("source")!.Attribute("file"));
        Assert.Equal("/p/media.iso", (string?)disks[2].Element("source")!.Attribute("file"));
    }

    [Fact]
    public void A_linked_clone_reads_its_overlays_as_qcow2_even_without_a_driver_element()
    {
        var xml = XElement.Parse(CloneXmlBuilder.Build(Source, "copy", [(Vda, "/f/copy-vda.qcow2"), (Vdb, "/p/copy-vdb.qcow2")], linked: true));

        var disks = xml.Element("devices")!.Elements("disk").ToList();
        Assert.Equal(["qcow2", "qcow2"], disks.Take(2).Select(d => (string?)d.Element("driver")!.Attribute("type")));
        Assert.Equal("qemu", (string?)disks[1].Element("driver")!.Attribute("name"));
        Assert.Null(disks[2].Element("driver"));
    }
}
