using System.Net;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Tests.Localization;

/// <summary>
/// Bad specs for every validator that runs without a host, so that between them they break every rule. The
/// problems come from the real validators; a rule added without a bad spec here is not checked for its texts.
/// </summary>
public static class ProblemCatalog
{
    private static readonly Guid Host = Guid.NewGuid();

    public static IEnumerable<SpecProblem> All() =>
        DomainProblems().Concat(PoolProblems()).Concat(VolumeProblems()).Concat(NetworkProblems())
            .DistinctBy(p => (p.Key, p.Subject));

    private static DomainSpec Vm(string name = "web") => new() { HostId = Host, Name = name, MemoryBytes = 1UL << 30 };

    private static IEnumerable<SpecProblem> DomainProblems()
    {
        var volume = new NewVolumeSpec("", ".", 0);
        DomainSpec[] specs =
        [
            Vm(""), Vm(new string('x', 201)), Vm("a/b"), Vm("a\u0001"), Vm(" a"),
            Vm("taken") with
            {
                Title = new string('t', 201) + "\n", Description = new string('d', 10_001) + "\u0001", OsVariantId = "no uri",
                Arch = "X86 64", Machine = "bad machine", VCpus = 0, MaxVCpus = 5000, CpuMode = CpuMode.Custom,
                MemoryBytes = 1UL << 20, Vnc = new VncSpec("nowhere"), BootOrder = [BootDevice.Hd, BootDevice.Hd, BootDevice.Network, BootDevice.Cdrom],
                OnReboot = LifecycleAction.Preserve, Install = new PxeInstallSource(),
            },
            Vm() with { MaxVCpus = 4, Topology = new CpuTopology(0, 1, 1), CpuMode = CpuMode.HostPassthrough, Kind = DomainKind.Qemu, MemoryBytes = 17UL << 40 },
            Vm() with { MaxVCpus = 4, Topology = new CpuTopology(2, 2, 2), MaxMemoryBytes = 1UL << 20 },
            Vm() with { MaxMemoryBytes = 17UL << 40 },
            Vm() with { Install = new KernelBootSource("", "relative", new string('c', 4097) + "\n") },
            Vm() with { Install = new KernelBootSource("/a/../b", "/a\u0001") },
            Vm() with { Install = new KernelBootSource("/" + new string('k', 4097)) },
            Vm() with { Install = new CdromInstallSource(null!) },
            Vm() with
            {
                Disks =
                [
                    new DiskSpec { NewVolume = volume, ExistingVolume = new VolumeRef("a/b", "x\u0001") },
                    new DiskSpec(),
                    new DiskSpec { Device = DiskDevice.Cdrom, Bus = DiskBus.Virtio, NewVolume = new NewVolumeSpec("p", "v", 1) },
                    new DiskSpec { Bus = DiskBus.Ide, NewVolume = new NewVolumeSpec("p", "w", 1) },
                    new DiskSpec { Bus = DiskBus.Ide, NewVolume = new NewVolumeSpec("p", "w", 65UL << 40) },
                    new DiskSpec { Bus = DiskBus.Ide, NewVolume = new NewVolumeSpec("p", "c", 1, VolumeFormat.Raw, Preallocation.Full, new VolumeRef("p", "..")) },
                    new DiskSpec { Bus = DiskBus.Ide, NewVolume = new NewVolumeSpec("p", "m", 1, VolumeFormat.Raw, Preallocation.Metadata) },
                    new DiskSpec { Bus = DiskBus.Ide, ExistingPath = "relative" },
                ],
                Nics =
                [
                    NicSpec.OnNetwork(""), NicSpec.OnBridge("bad bridge!"), NicSpec.OnNetwork("n", mac: "zz"),
                    NicSpec.OnNetwork("n", mac: "01:00:00:00:00:01"), NicSpec.OnNetwork("n", mac: "00:00:00:00:00:00"),
                    NicSpec.OnNetwork("n", mac: "52:54:00:00:00:01"), NicSpec.OnNetwork("n", mac: "52:54:00:00:00:01"),
                ],
            },
        ];
        return specs.SelectMany(spec => DomainSpecValidator.Validate(spec, ["taken"]))
            .Append(DomainSpecValidator.CheckName("", "NewName", "Name")!);
    }

    private static IEnumerable<SpecProblem> PoolProblems()
    {
        PoolSpec[] specs =
        [
            new() { Name = "", TargetPath = "/x" },
            new() { Name = new string('p', 201), TargetPath = "/x" },
            new() { Name = "-bad", Type = PoolType.Fs, SourceDevice = "", TargetPath = "../x", SourceFormat = "nope" },
            new() { Name = "taken", Type = PoolType.Netfs, SourceHost = "", SourcePath = "x", TargetPath = "" },
            new() { Name = "n", Type = PoolType.Netfs, SourceHost = "bad host!", SourcePath = "/x", TargetPath = "/y" },
            new() { Name = "l", Type = PoolType.Logical, SourceName = "bad name!", SourceDevice = "sdb" },
            new() { Name = "l", Type = PoolType.Logical, SourceName = "" },
            new() { Name = "d", Type = PoolType.Disk, SourceDevice = "", TargetPath = "dev" },
            new() { Name = "i", Type = PoolType.Iscsi, SourceHost = "", SourcePath = "" },
            new() { Name = "i", Type = PoolType.Iscsi, SourceHost = "portal", SourcePath = "not-an-iqn" },
            new() { Name = "r", Type = PoolType.Rbd, SourceName = "" },
            new() { Name = "r", Type = PoolType.Rbd, Monitors = ["bad monitor!"], SourceName = "p", AuthUser = "bad user!" },
            new() { Name = "g", Type = PoolType.Gluster, SourceHost = "", SourceName = "", SourcePath = "rel" },
            new() { Name = "u", Type = (PoolType)99 },
        ];
        return specs.SelectMany(spec => PoolSpecValidator.Validate(spec, ["taken"]));
    }

    private static IEnumerable<SpecProblem> VolumeProblems()
    {
        VolumeSpec[] specs =
        [
            new("pool", "", 0),
            new("pool", new string('v', 201), 65UL << 40),
            new("pool", "-bad", 1, VolumeFormat.Raw, Preallocation.Full, new VolumeRef("pool", "base")),
        ];
        return specs.SelectMany(VolumeSpecValidator.Validate);
    }

    private static IEnumerable<SpecProblem> NetworkProblems()
    {
        var context = new NetworkValidationContext(
            [new ExistingNetwork("default", [IPNetwork.Parse("10.0.0.0/16"), IPNetwork.Parse("fd00::/48")])],
            new HashSet<string> { "eth0" });
        NetworkSpec[] specs =
        [
            new() { Name = "", Mode = NetworkForwardMode.Other },
            new() { Name = "bad name", Mode = NetworkForwardMode.Bridge, Ipv4Address = "10.0.0.1", DnsDomain = "x", Mtu = 1500 },
            new() { Name = "default", Mode = NetworkForwardMode.Direct, HostInterface = "bad iface!" },
            new() { Name = "d", Mode = NetworkForwardMode.Direct, HostInterface = "eth9" },
            new() { Name = "d", Mode = NetworkForwardMode.Direct },
            new() { Name = "b", Mode = NetworkForwardMode.Bridge, BridgeName = "br9" },
            new() { Name = "b", Mode = NetworkForwardMode.Bridge },
            new() { Name = "b", Mode = NetworkForwardMode.Bridge, BridgeName = "this-name-is-way-too-long" },
            new()
            {
                Name = "n", DhcpStart = "10.0.0.2", Ipv6DhcpStart = "fd00::2", Mtu = 20, DnsDomain = "bad domain",
                DnsHosts = [new("x", []), new("10.0.0.5", ["a b"])],
            },
            new()
            {
                Name = "n", Ipv4Address = "10.0.0.1", DhcpStart = "10.0.0.50", DhcpEnd = "10.0.0.20",
                DhcpHosts =
                [
                    new("52:54:00:00:00:01", "10.0.0.1"), new("52:54:00:00:00:01", "10.0.0.7", "h"), new("52:54:00:00:00:02", "10.0.0.7", "h"),
                    new("52:54:00:00:00:03", "10.9.0.1"), new("52:54:00:00:00:04", "nope"), new("52:54:00:00:00:05", "10.0.0.9", "bad name"),
                    new("zz", "10.0.0.10"), new("01:00:00:00:00:01", "10.0.0.11"),
                ],
            },
            new() { Name = "n", Ipv4Address = "10.0.0.0" },
            new() { Name = "n", Ipv4Address = "x", Ipv6Address = "y" },
            new() { Name = "n", Ipv4Address = "10.0.0.1", Ipv4Prefix = 31, Ipv6Address = "fd00::1", Ipv6Prefix = 128 },
            new()
            {
                Name = "n", Ipv4Address = "10.1.0.1", DhcpStart = "a", DhcpEnd = "b", Ipv6Address = "fd00::1", Ipv6DhcpStart = "fd01::1", Ipv6DhcpEnd = "fd00::9",
            },
            new() { Name = "n", Ipv6Address = "fd02::1", Ipv6DhcpStart = "fd02::9", Ipv6DhcpEnd = "fd02::2" },
            new() { Name = "n", Ipv6Address = "fd02::1", Ipv6DhcpStart = "fd02::1", Ipv6DhcpEnd = "fd02::9" },
            new() { Name = "n", Ipv4Address = "10.2.0.1", DhcpStart = "10.2.0.1", DhcpEnd = "10.2.0.9" },
            new() { Name = "n", Mode = NetworkForwardMode.Route },
            new() { Name = "n", Mode = NetworkForwardMode.Open },
        ];
        return specs.SelectMany(spec => NetworkSpecValidator.Validate(spec, context));
    }
}
