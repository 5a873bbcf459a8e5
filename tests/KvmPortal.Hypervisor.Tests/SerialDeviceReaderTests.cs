using System.Xml.Linq;
using KvmPortal.Hypervisor.Consoles;

namespace KvmPortal.Hypervisor.Tests;

public sealed class SerialDeviceReaderTests
{
    private static string Domain(string? id, params XElement[] devices)
    {
        var domain = new XElement("domain", new XElement("name", "web1"), new XElement("devices", devices));
        if (id is not null) domain.Add(new XAttribute("id", id));
        return domain.ToString();
    }

    private static XElement Device(string element, string? alias, string targetType, int port)
    {
        var device = new XElement(element, new XAttribute("type", "pty"),
            new XElement("target", new XAttribute("type", targetType), new XAttribute("port", port)));
        if (alias is not null) device.Add(new XElement("alias", new XAttribute("name", alias)));
        return device;
    }

    [Fact]
    public void ListsSerialPortsAndConsolesOnceEach()
    {
        var xml = Domain("7",
            Device("serial", "serial0", "isa-serial", 0),
            Device("console", "serial0", "serial", 0), // QEMU's ttyS0 console: the same device again
            Device("console", "console1", "virtio", 1));

        var devices = SerialDeviceReader.Read(xml, "web1");

        Assert.Equal([new SerialDevice("serial0", "serial", "isa-serial", 0), new SerialDevice("console1", "console", "virtio", 1)], devices);
    }

    [Fact]
    public void AVmWithoutSerialPortsHasNone()
    {
        Assert.Empty(SerialDeviceReader.Read(Domain("7", new XElement("graphics", new XAttribute("type", "vnc"))), "web1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-1")]
    public void AVmThatIsNotRunningIsRefused(string? id)
    {
        var e = Assert.Throws<HypervisorException>(() => SerialDeviceReader.Read(Domain(id, Device("serial", null, "isa-serial", 0)), "web1"));

        Assert.Equal(HypervisorErrorKind.InvalidState, e.Kind);
        Assert.Contains("web1 is not running", e.Message);
    }
}
