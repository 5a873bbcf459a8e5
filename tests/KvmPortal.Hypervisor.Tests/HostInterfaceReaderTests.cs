using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Host interfaces on the real host: the interface driver and the node-device fallback agree on names.</summary>
public sealed class HostInterfaceReaderTests
{
    [Fact]
    public void TheNodeDeviceFallbackFindsTheSameInterfacesAsTheInterfaceDriver()
    {
        using var system = TestDomains.OpenSystem();

        var fromDriver = HostInterfaceReader.Read(system);
        var fromNodeDevices = HostInterfaceReader.FromNodeDevices(system);

        Assert.NotEmpty(fromNodeDevices);
        Assert.All(fromNodeDevices, i => Assert.False(string.IsNullOrEmpty(i.Mac)));
        // Other tests add and remove bridges and taps meanwhile, so the two reads are compared on what both saw:
        // they must share the host's real NICs.
        Assert.NotEmpty(fromNodeDevices.Select(i => i.Name).Intersect(fromDriver.Where(i => i.Active).Select(i => i.Name)));
    }
}
