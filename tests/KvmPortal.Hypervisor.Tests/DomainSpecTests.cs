using System.Xml.Linq;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>The validator and the XML builders, without libvirt.</summary>
public sealed class DomainSpecTests
{
    private static readonly Guid Host = Guid.NewGuid();

    private static DomainSpec Valid(string name = "web-1") => new()
    {
        HostId = Host,
        Name = name,
        MemoryBytes = 1UL << 30,
        VCpus = 2,
        MaxVCpus = 4,
        Disks = [DiskSpec.New("default", "web-1.qcow2", 10UL << 30)],
        Nics = [NicSpec.OnNetwork("default", mac: "52:54:00:AB:cd:01")],
    };

    private static IReadOnlyList<SpecProblem> Check(DomainSpec spec, params string[] existing) =>
        DomainSpecValidator.Validate(spec, existing);

    [Fact]
    public void AValidSpecHasNoProblems() => Assert.Empty(Check(Valid()));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a/b")]
    [InlineData("../etc/passwd")]
    [InlineData("a'/><disk")]
    [InlineData("tab\there")]
    [InlineData("nul\0byte")]
    [InlineData(" padded")]
    public void BadNamesAreRejectedWithAMessage(string name)
    {
        var problem = Assert.Single(Check(Valid(name)));
        Assert.Equal("Name", problem.Field);
        Assert.Contains("name", problem.Message);
    }

    [Fact]
    public void ATooLongNameIsRejected()
    {
        Assert.Empty(Check(Valid(new string('x', 200))));
        Assert.Contains("at most 200", Assert.Single(Check(Valid(new string('x', 201)))).Message);
    }

    [Fact]
    public void ANameInUseOnTheHostIsRejected()
    {
        Assert.Contains("already exists", Assert.Single(Check(Valid("web-1"), "web-1")).Message);
        Assert.Empty(Check(Valid("Web-1"), "web-1")); // libvirt names are case-sensitive
    }

    [Theory]
    [InlineData("evil'\"<>&;$(reboot) `x`")]
    [InlineData("ünïcødé ☃ 名前")]
    public void HostileButLegalNamesAreStoredVerbatimAndHarmless(string name)
    {
        var spec = Valid(name) with { Title = "<b>\"title\"</b> & more", Description = "line 1\n</description><disk/>" };
        Assert.Empty(Check(spec));
        var xml = XElement.Parse(DomainXmlBuilder.Build(spec).ToString());
        Assert.Equal(name, xml.Element("name")!.Value);
        Assert.Equal(spec.Title, xml.Element("title")!.Value);
        Assert.Equal(spec.Description, xml.Element("description")!.Value);
        Assert.Single(xml.Element("devices")!.Elements("disk"));
    }

    [Fact]
    public void AllProblemsAreReportedAtOnceKeyedByField()
    {
        var spec = Valid() with
        {
            Name = "",
            VCpus = 5,
            MemoryBytes = 8UL << 20,
            MaxMemoryBytes = 4UL << 20,
            Disks = [DiskSpec.New("default", "../escape", 0)],
            Nics = [NicSpec.OnNetwork("default", mac: "01:00:5e:00:00:01"), NicSpec.OnBridge("not a bridge!")],
        };
        var fields = Check(spec).Select(p => p.Field).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "Name", "VCpus", "MemoryBytes", "MaxMemoryBytes", "Disks[0].Name", "Disks[0].SizeBytes", "Nics[0].Mac", "Nics[1].Source",
        }, fields);
    }

    [Theory]
    [InlineData("52:54:00:12:34:56", null)]
    [InlineData("02:00:00:00:00:01", null)]
    [InlineData("01:00:5e:00:00:01", "multicast")]
    [InlineData("ff:ff:ff:ff:ff:ff", "multicast")]
    [InlineData("00:00:00:00:00:00", "not a valid")]
    [InlineData("52:54:00:12:34", "not a MAC")]
    [InlineData("52-54-00-12-34-56", "not a MAC")]
    [InlineData("52:54:00:12:34:5g", "not a MAC")]
    public void MacAddressesMustBeWellFormedUnicast(string mac, string? expected)
    {
        var problem = DomainSpecValidator.CheckMac(mac);
        if (expected is null) Assert.Null(problem);
        else Assert.Contains(expected, problem?.Message);
    }

    [Fact]
    public void DuplicateMacsAndVolumesAreRejected()
    {
        var spec = Valid() with
        {
            Disks = [DiskSpec.New("default", "a.qcow2", 1 << 30), DiskSpec.New("default", "a.qcow2", 1 << 30)],
            Nics = [NicSpec.OnNetwork("default", mac: "52:54:00:00:00:01"), NicSpec.OnNetwork("default", mac: "52:54:00:00:00:01")],
        };
        var problems = Check(spec);
        Assert.Contains(problems, p => p.Field == "Disks[1].Name" && p.Message.Contains("twice"));
        Assert.Contains(problems, p => p.Field == "Nics[1].Mac" && p.Message.Contains("twice"));
    }

    [Fact]
    public void CpuAndMemoryLimits()
    {
        Assert.Contains(Check(Valid() with { VCpus = 0 }), p => p.Field == "VCpus");
        Assert.Contains(Check(Valid() with { Topology = new CpuTopology(1, 2, 1) }), p => p.Field == "Topology");
        Assert.Empty(Check(Valid() with { Topology = new CpuTopology(1, 2, 2) }));
        Assert.Contains(Check(Valid() with { Kind = DomainKind.Qemu, CpuMode = CpuMode.HostPassthrough }), p => p.Field == "CpuMode");
        Assert.Contains(Check(Valid() with { CpuMode = CpuMode.Custom }), p => p.Field == "CpuModel");
        Assert.Empty(Check(Valid() with { MemoryBytes = DomainSpecValidator.MinMemoryBytes }));
        Assert.Contains(Check(Valid() with { MemoryBytes = DomainSpecValidator.MinMemoryBytes - 1 }), p => p.Field == "MemoryBytes");
        Assert.Contains(Check(Valid() with { Disks = [DiskSpec.New("default", "huge", DomainSpecValidator.MaxDiskBytes + 1)] }),
            p => p.Field == "Disks[0].SizeBytes");
    }

    [Fact]
    public void InstallSourcesAreChecked()
    {
        Assert.Contains(Check(Valid() with { Install = new KernelBootSource("vmlinuz") }), p => p.Field == "Install.KernelPath");
        Assert.Contains(Check(Valid() with { Install = new KernelBootSource("/boot/../etc/shadow") }), p => p.Field == "Install.KernelPath");
        Assert.Contains(Check(Valid() with { Install = new PxeInstallSource(), Nics = [] }), p => p.Field == "Install");
        Assert.Contains(Check(Valid() with { Disks = [DiskSpec.Cdrom(bus: DiskBus.Virtio)] }), p => p.Field == "Disks[0].Bus");
        Assert.Contains(Check(Valid() with { Install = new LinkedCloneSource(new VolumeRef("default", "tpl"), "default", "..") }),
            p => p.Field == "Install.VolumeName.Name");
    }

    [Fact]
    public void DomainXmlHasMemoryInKiBVcpusKernelDisksNicsAndConsoles()
    {
        var spec = Valid() with
        {
            Title = "Web",
            OsVariantId = "http://debian.org/debian/12",
            Kind = DomainKind.Qemu,
            Machine = "pc",
            CpuMode = CpuMode.Custom,
            CpuModel = "qemu64",
            MemoryBytes = 256UL << 20,
            MaxMemoryBytes = 512UL << 20,
            Install = new KernelBootSource("/boot/vmlinuz", "/boot/initrd.img", "console=ttyS0"),
            Disks = [DiskSpec.New("default", "web-1.qcow2", 10UL << 30), DiskSpec.Cdrom(bus: DiskBus.Ide),
                new DiskSpec { ExistingVolume = new VolumeRef("images", "data.raw"), Cache = DiskCache.None }],
            Nics = [NicSpec.OnNetwork("default", NicModel.E1000, "52:54:00:AB:CD:01"), NicSpec.OnBridge("br0")],
            BootMenu = true,
        };
        var xml = DomainXmlBuilder.Build(spec, key => key == "images/data.raw" ? "raw" : null);

        Assert.Equal("qemu", (string?)xml.Attribute("type"));
        Assert.Equal("524288", xml.Element("memory")!.Value);
        Assert.Equal("KiB", (string?)xml.Element("memory")!.Attribute("unit"));
        Assert.Equal("262144", xml.Element("currentMemory")!.Value);
        Assert.Equal("4", xml.Element("vcpu")!.Value);
        Assert.Equal("2", (string?)xml.Element("vcpu")!.Attribute("current"));
        var os = xml.Element("os")!;
        Assert.Equal("pc", (string?)os.Element("type")!.Attribute("machine"));
        Assert.Equal("/boot/vmlinuz", os.Element("kernel")!.Value);
        Assert.Equal("console=ttyS0", os.Element("cmdline")!.Value);
        Assert.Equal("yes", (string?)os.Element("bootmenu")!.Attribute("enable"));
        Assert.Equal("qemu64", xml.Element("cpu")!.Element("model")!.Value);
        Assert.Equal("http://debian.org/debian/12",
            (string?)xml.Element("metadata")!.Element(DomainXmlBuilder.LibOsInfo + "libosinfo")!.Element(DomainXmlBuilder.LibOsInfo + "os")!.Attribute("id"));

        var disks = xml.Element("devices")!.Elements("disk").ToList();
        Assert.Equal(["vda", "hda", "vdb"], disks.Select(d => (string)d.Element("target")!.Attribute("dev")!));
        Assert.Equal("qcow2", (string?)disks[0].Element("driver")!.Attribute("type"));
        Assert.Equal("default", (string?)disks[0].Element("source")!.Attribute("pool"));
        Assert.Equal("web-1.qcow2", (string?)disks[0].Element("source")!.Attribute("volume"));
        Assert.Equal("cdrom", (string?)disks[1].Attribute("device"));
        Assert.Null(disks[1].Element("source"));
        Assert.NotNull(disks[1].Element("readonly"));
        Assert.Equal("none", (string?)disks[2].Element("driver")!.Attribute("cache"));

        var nics = xml.Element("devices")!.Elements("interface").ToList();
        Assert.Equal("52:54:00:ab:cd:01", (string?)nics[0].Element("mac")!.Attribute("address"));
        Assert.Equal("e1000", (string?)nics[0].Element("model")!.Attribute("type"));
        Assert.Equal("br0", (string?)nics[1].Element("source")!.Attribute("bridge"));
        Assert.Null(nics[1].Element("mac"));
        Assert.NotNull(xml.Element("devices")!.Element("console"));
        Assert.Equal("127.0.0.1", (string?)xml.Element("devices")!.Element("graphics")!.Element("listen")!.Attribute("address"));
    }

    [Fact]
    public void BootOrderFollowsTheInstallSource()
    {
        Assert.Equal([BootDevice.Cdrom, BootDevice.Hd],
            DomainXmlBuilder.EffectiveBootOrder(Valid() with { Install = new CdromInstallSource(new VolumeRef("iso", "debian.iso")) }));
        Assert.Equal([BootDevice.Network, BootDevice.Hd], DomainXmlBuilder.EffectiveBootOrder(Valid() with { Install = new PxeInstallSource() }));
        var xml = DomainXmlBuilder.Build(Valid() with { Install = new CdromInstallSource(new VolumeRef("iso", "debian.iso")) });
        var first = xml.Element("devices")!.Elements("disk").First();
        Assert.Equal("cdrom", (string?)first.Attribute("device"));
        Assert.Equal("sda", (string?)first.Element("target")!.Attribute("dev"));
        Assert.Equal(["cdrom", "hd"], xml.Element("os")!.Elements("boot").Select(b => (string)b.Attribute("dev")!));
    }

    [Fact]
    public void VolumeXmlForNewAndLinkedCloneVolumes()
    {
        var full = XElement.Parse(VolumeXmlBuilder.Build(new NewVolumeSpec("p", "v.raw", 1UL << 30, VolumeFormat.Raw, Preallocation.Full), 1UL << 30));
        Assert.Equal("v.raw", full.Element("name")!.Value);
        Assert.Equal((1UL << 30).ToString(), full.Element("capacity")!.Value);
        Assert.Equal((1UL << 30).ToString(), full.Element("allocation")!.Value);
        Assert.Equal("raw", (string?)full.Element("target")!.Element("format")!.Attribute("type"));

        var clone = new NewVolumeSpec("p", "c.qcow2", 0, VolumeFormat.Qcow2, Preallocation.Off, new VolumeRef("p", "tpl.qcow2"));
        var xml = XElement.Parse(VolumeXmlBuilder.Build(clone, 2UL << 30, "/images/tpl.qcow2", "qcow2"));
        Assert.Equal("0", xml.Element("allocation")!.Value);
        Assert.Equal("/images/tpl.qcow2", xml.Element("backingStore")!.Element("path")!.Value);
        Assert.Equal("qcow2", (string?)xml.Element("backingStore")!.Element("format")!.Attribute("type"));
        Assert.Equal(Libvirt.StorageVolumeCreateFlags.None, VolumeXmlBuilder.CreateFlags(clone));
        Assert.Equal(Libvirt.StorageVolumeCreateFlags.PreallocMetadata,
            VolumeXmlBuilder.CreateFlags(new NewVolumeSpec("p", "m", 1, VolumeFormat.Qcow2, Preallocation.Metadata)));
    }

    [Fact]
    public void DiskTargetsCountPastZ()
    {
        var used = new HashSet<string>(Enumerable.Range(0, 26).Select(i => "vd" + (char)('a' + i)));
        Assert.Equal("vdaa", DeviceXml.NextTarget(DiskBus.Virtio, used));
        Assert.Equal("sda", DeviceXml.NextTarget(DiskBus.Scsi, used));
    }
}
