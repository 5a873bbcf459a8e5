using System.Xml.Linq;
using KvmPortal.Hypervisor.Consoles;

namespace KvmPortal.Hypervisor.Tests;

public sealed class VncEndpointReaderTests
{
    private static string Domain(params XElement[] graphics) =>
        new XElement("domain", new XElement("name", "web1"), new XElement("devices", graphics)).ToString();

    private static XElement Vnc(int port, string? listen, string? password = null)
    {
        var graphics = new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("port", port));
        if (password is not null) graphics.Add(new XAttribute("passwd", password));
        if (listen is not null) graphics.Add(new XElement("listen", new XAttribute("type", "address"), new XAttribute("address", listen)));
        return graphics;
    }

    [Theory]
    [InlineData("qemu:///system", "127.0.0.1", "127.0.0.1")]
    [InlineData("qemu:///system", "0.0.0.0", "127.0.0.1")]
    [InlineData("qemu:///system", null, "127.0.0.1")]
    [InlineData("qemu+tls://kvm1.example.com/system", "0.0.0.0", "kvm1.example.com")]
    [InlineData("qemu+tls://kvm1.example.com/system", "10.0.0.7", "10.0.0.7")]
    public void FindsTheAddressThisMachineReaches(string uri, string? listen, string expected)
    {
        var endpoint = VncEndpointReader.Read(Domain(Vnc(5901, listen, "s3cret")), uri, "web1");

        Assert.Equal(new VncEndpoint(expected, 5901, null, "s3cret"), endpoint);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("::1", "::1")]
    public void ADisplayOnAnSshHostsLoopbackIsReachedThroughItsTunnel(string listen, string expected)
    {
        var tunnel = new SshTunnel("kvm1", 2222, "root", "/keys/ssh-key", "/keys/known_hosts");

        var endpoint = VncEndpointReader.Read(Domain(Vnc(5901, listen, "s3cret")), "qemu+ssh://root@kvm1:2222/system", "web1", tunnel);

        Assert.Equal(new VncEndpoint(expected, 5901, null, "s3cret") { Tunnel = tunnel }, endpoint);
        Assert.Equal(["-F", "none", "-i", "/keys/ssh-key", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "UserKnownHostsFile=/keys/known_hosts", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
            "-T", "-W", $"{(expected.Contains(':') ? $"[{expected}]" : expected)}:5901", "-p", "2222", "-l", "root", "--", "kvm1"],
            tunnel.Arguments(endpoint.Address!, endpoint.Port));
    }

    [Fact]
    public void AUnixSocketOnTheLocalHostIsUsedDirectly()
    {
        var graphics = new XElement("graphics", new XAttribute("type", "vnc"),
            new XElement("listen", new XAttribute("type", "socket"), new XAttribute("socket", "/run/libvirt/qemu/web1.vnc")));

        var endpoint = VncEndpointReader.Read(Domain(graphics), "qemu:///system", "web1");

        Assert.True(endpoint.IsUnixSocket);
        Assert.Equal("/run/libvirt/qemu/web1.vnc", endpoint.SocketPath);
    }

    [Theory]
    [InlineData("qemu+ssh://root@kvm1/system", 5900, "127.0.0.1", "loopback of host kvm1", HypervisorErrorKind.VncLoopbackOnly)]
    [InlineData("qemu:///system", -1, "127.0.0.1", "not running", HypervisorErrorKind.VncNotListening)]
    public void UnreachableDisplaysAreExplained(string uri, int port, string listen, string expected, HypervisorErrorKind kind)
    {
        var error = Assert.Throws<HypervisorException>(() => VncEndpointReader.Read(Domain(Vnc(port, listen)), uri, "web1"));

        Assert.Contains(expected, error.Message);
        Assert.Equal(kind, error.Kind);
        Assert.Equal("web1", error.Arguments[0]);
    }

    [Fact]
    public void AVmWithoutVncSaysSo()
    {
        var spice = new XElement("graphics", new XAttribute("type", "spice"), new XAttribute("port", 5900));

        var error = Assert.Throws<HypervisorException>(() => VncEndpointReader.Read(Domain(spice), "qemu:///system", "web1"));

        Assert.Contains("no VNC display", error.Message);
        Assert.Equal((HypervisorErrorKind.VncMissing, "web1"), (error.Kind, Assert.Single(error.Arguments)));
    }
}
