using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests;

public sealed class DomainXmlReaderTests
{
    private static readonly VmInfo Info = new(Guid.NewGuid(), Guid.NewGuid(), "x", VmState.Running, 2, 1 << 30, 1.5, null, true);

    [Fact]
    public void ReadsTheOverviewOfADomain()
    {
        var xml = new XElement("domain", new XAttribute("type", "kvm"),
            new XElement("name", "web1"),
            new XElement("title", "Web server"),
            new XElement("memory", new XAttribute("unit", "GiB"), 2),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc-q35-7.2"), "hvm")),
            new XElement("devices",
                new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                    new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2")),
                    new XElement("source", new XAttribute("file", "/var/lib/libvirt/images/web1.qcow2")),
                    new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))),
                new XElement("disk", new XAttribute("type", "volume"), new XAttribute("device", "cdrom"),
                    new XElement("source", new XAttribute("pool", "isos"), new XAttribute("volume", "debian.iso")),
                    new XElement("target", new XAttribute("dev", "sda"), new XAttribute("bus", "sata")),
                    new XElement("readonly")),
                new XElement("interface", new XAttribute("type", "network"),
                    new XElement("mac", new XAttribute("address", "52:54:00:12:34:56")),
                    new XElement("source", new XAttribute("network", "default")),
                    new XElement("model", new XAttribute("type", "virtio"))),
                new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("port", "5901"), new XAttribute("autoport", "yes"),
                    new XElement("listen", new XAttribute("type", "address"), new XAttribute("address", "127.0.0.1")))));

        var details = DomainXmlReader.Read(Info, xml.ToString(), autostart: true);

        Assert.Equal("kvm", details.DomainType);
        Assert.Equal("Web server", details.Title);
        Assert.Equal(2UL << 30, details.MaxMemoryBytes);
        Assert.Equal("pc-q35-7.2", details.MachineType);
        Assert.True(details.Autostart);
        Assert.Equal(new DiskInfo("disk", "virtio", "vda", "/var/lib/libvirt/images/web1.qcow2", "qcow2", false), details.Disks[0]);
        Assert.Equal(new DiskInfo("cdrom", "sata", "sda", "isos/debian.iso", null, true), details.Disks[1]);
        Assert.Equal(new NicInfo("network", "default", "52:54:00:12:34:56", "virtio"), details.Nics.Single());
        Assert.Equal(new GraphicsInfo("vnc", "127.0.0.1", 5901, true), details.Graphics.Single());
    }

    [Fact]
    public void AHostileNameIsJustText()
    {
        const string name = "a'/><disk device=\"x\"/>&amp;";
        var xml = new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name), new XElement("title", name), new XElement("devices")).ToString();

        var details = DomainXmlReader.Read(Info, xml, autostart: false);

        Assert.Equal(name, details.Title);
        Assert.Empty(details.Disks);
    }

    [Theory]
    [InlineData("1024", null, 1UL << 20)]
    [InlineData("1", "GiB", 1UL << 30)]
    [InlineData("1", "GB", 1_000_000_000UL)]
    [InlineData("512", "M", 512UL << 20)]
    [InlineData("7", "bytes", 7UL)]
    public void ReadsLibvirtMemoryUnits(string value, string? unit, ulong bytes)
    {
        var memory = new XElement("memory", value);
        if (unit is not null) memory.Add(new XAttribute("unit", unit));
        var xml = new XElement("domain", new XAttribute("type", "qemu"), memory).ToString();

        Assert.Equal(bytes, DomainXmlReader.Read(Info, xml, false).MaxMemoryBytes);
    }
}
