using KvmPortal.Hypervisor.Hosts;

namespace KvmPortal.Hypervisor.Tests;

public sealed class HostUriTests
{
    [Theory]
    [InlineData("qemu:///system")]
    [InlineData("qemu:///session")]
    [InlineData("qemu+ssh://root@kvm1.example.com/system")]
    [InlineData("qemu+ssh://admin@10.0.0.5:2222/system?keyfile=/etc/kvmportal/id_ed25519")]
    [InlineData("qemu+tls://kvm2.example.com/system")]
    [InlineData("qemu+tcp://127.0.0.1:16509/system")]
    [InlineData("qemu+unix:///system")]
    [InlineData("test:///default")]
    [InlineData("test:///var/lib/kvmportal/node.xml")]
    public void AcceptsLibvirtUris(string uri) => Assert.Null(HostUri.Validate(uri));

    [Theory]
    [InlineData("", "Enter a libvirt URI")]
    [InlineData("   ", "Enter a libvirt URI")]
    [InlineData("qemu:///system ", "spaces")]
    [InlineData("kvm1.example.com", "not a URI")]
    [InlineData("xen:///system", "Unsupported driver 'xen'")]
    [InlineData("qemu+http://host/system", "Unsupported transport 'http'")]
    [InlineData("qemu+ssh:///system", "needs a host name")]
    [InlineData("qemu://kvm1/system", "no host name")]
    [InlineData("qemu:///systen", "ends in /system or /session")]
    [InlineData("test://", "/default")]
    public void RejectsBadUrisWithAReason(string uri, string expected) =>
        Assert.Contains(expected, HostUri.Validate(uri));

    [Fact]
    public void AProblemCarriesAKeyAndArgumentsForTranslation()
    {
        var problem = HostUri.Check("qemu+ssh:///system");

        Assert.NotNull(problem);
        Assert.Equal("RemoteNeedsHost", problem.Key);
        Assert.Equal(["ssh", "qemu"], problem.Arguments);
        Assert.Equal("A ssh URI needs a host name, as in qemu+ssh://host/system.", problem.Message);
    }

    [Fact]
    public void RejectsOverlongUris() =>
        Assert.Contains("1024", HostUri.Validate("qemu+ssh://" + new string('a', 1100) + "/system"));
}
