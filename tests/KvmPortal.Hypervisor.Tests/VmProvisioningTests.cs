using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Libvirt;
using Xunit.Sdk;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Creating and editing a real TCG guest (the demo kernel and busybox initramfs) on qemu:///system, with a temporary
/// pool and network. Everything is named kvmportal-test-* and removed afterwards.
/// </summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class VmProvisioningTests
{
    private static readonly TimeSpan GuestTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CreatedGuestBootsAndTakesLiveChangesThenDeleteRemovesWhatItSaid()
    {
        var (kernel, initrd) = DemoGuest();
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var name = TestDomains.NewName();
        using var iso = storage.CreateVolume("media.iso", 1 << 20);
        try
        {
            var spec = GuestSpec(host, name, kernel, initrd, storage) with
            {
                Disks =
                [
                    new DiskSpec { NewVolume = new NewVolumeSpec(storage.PoolName, "root.qcow2", 64UL << 20, VolumeFormat.Qcow2, Preallocation.Metadata) },
                    DiskSpec.Cdrom(bus: DiskBus.Ide),
                ],
            };
            Assert.Empty(await hypervisor.Provisioning.ValidateAsync(spec));
            var plan = await hypervisor.Provisioning.PreviewAsync(spec);
            Assert.Equal("root.qcow2", Assert.Single(plan.Volumes).Name);
            Assert.Equal(name, XElement.Parse(plan.DomainXml).Element("name")!.Value);

            var key = await hypervisor.Provisioning.CreateAsync(spec);
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.State == VmState.Running, "running after create");
            Assert.Contains("root.qcow2", storage.VolumeNames());

            var details = await hypervisor.Vms.GetDetailsAsync(key);
            var pty = (string?)XElement.Parse(details.Xml).Element("devices")!.Element("console")!.Attribute("tty")
                ?? throw new XunitException("the running guest has no console pty");
            using var serial = new SerialConsole(pty);
            var n = Random.Shared.Next(1000, 100000);
            await serial.RunUntilAsync($"echo kvmportal-$(({n}+1))", new Regex($"kvmportal-{n + 1}"), GuestTimeout);

            // vCPU hot-plug: the guest onlines the new CPU by itself.
            await hypervisor.Editing.SetVcpusAsync(key, 2, ChangeScope.Live);
            await serial.RunUntilAsync("echo CPUS-$(cat /sys/devices/system/cpu/online)-END", new Regex("CPUS-0-1-END"), GuestTimeout);
            var tooMany = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.SetVcpusAsync(key, 3, ChangeScope.Live));
            Assert.Contains("between 1 and 2", tooMany.Message);
            Assert.Equal((HypervisorErrorKind.VcpusOutOfRangeWhileRunning, "2"), (tooMany.Kind, tooMany.Arguments[1]));

            // Balloon: the domain's current memory follows.
            await hypervisor.Editing.SetMemoryAsync(key, 200UL << 20, ChangeScope.Live);
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.MemoryBytes <= 201UL << 20, "memory ballooned to 200 MiB");
            var overMax = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.SetMemoryAsync(key, 1UL << 30, ChangeScope.Live));
            Assert.Contains("at most 512 MiB", overMax.Message);
            Assert.Equal((HypervisorErrorKind.MemoryAboveMaximum, "512 MiB"), (overMax.Kind, overMax.Arguments[1]));

            // Disk hot-plug and unplug.
            var target = await hypervisor.Editing.AttachDiskAsync(key,
                DiskSpec.New(storage.PoolName, "extra.raw", 8UL << 20, VolumeFormat.Raw), ChangeScope.Both);
            Assert.Equal("vdb", target);
            Assert.Contains((await hypervisor.Vms.GetDetailsAsync(key)).Disks, d => d.Target == "vdb");
            await hypervisor.Editing.DetachDiskAsync(key, "vdb", ChangeScope.Both);
            await WaitUntilAsync(async () => (await hypervisor.Vms.GetDetailsAsync(key)).Disks.All(d => d.Target != "vdb"), "vdb unplugged");

            // NIC hot-plug.
            var mac = await hypervisor.Editing.AttachNicAsync(key, NicSpec.OnNetwork(storage.NetworkName, NicModel.E1000), ChangeScope.Live);
            Assert.StartsWith("52:54:00:", mac);
            Assert.Contains((await hypervisor.Vms.GetDetailsAsync(key)).Nics, nic => nic.Mac == mac);

            // CD-ROM: insert into the empty drive, then eject.
            await hypervisor.Editing.ChangeMediaAsync(key, "hda", new CdromMedia(new VolumeRef(storage.PoolName, "media.iso")), ChangeScope.Live);
            Assert.Contains((await hypervisor.Vms.GetDetailsAsync(key)).Disks, d => d.Target == "hda" && d.Source != null);
            await hypervisor.Editing.ChangeMediaAsync(key, "hda", CdromMedia.Eject, ChangeScope.Live);
            Assert.Contains((await hypervisor.Vms.GetDetailsAsync(key)).Disks, d => d.Target == "hda" && d.Source == null);

            // Rename needs the VM shut off.
            var rename = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.RenameAsync(key, name + "-renamed"));
            Assert.Contains("shut off", rename.Message);
            Assert.Equal(HypervisorErrorKind.RenameNeedsShutOff, rename.Kind);

            // An invalid edit of the XML shows libvirt's error and changes nothing.
            var xml = XElement.Parse(await hypervisor.Editing.GetPersistentXmlAsync(key));
            xml.Element("devices")!.Add(new XElement("no-such-device"));
            var invalid = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.ReplaceXmlAsync(key, xml.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(invalid.LibvirtMessage));
            Assert.Contains(invalid.LibvirtMessage, invalid.Message);
            var malformed = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Editing.ReplaceXmlAsync(key, "<domain><name>x</domain>"));
            Assert.Contains("not well-formed", malformed.Message);
            Assert.Equal(HypervisorErrorKind.XmlMalformed, malformed.Kind);

            // Delete says what it removes, then removes exactly that.
            var options = new DeleteOptions(RemoveStorage: true);
            var deletion = await hypervisor.Editing.DescribeDeletionAsync(key, options);
            var rootPath = Path.Combine(storage.PoolPath, "root.qcow2");
            Assert.Equal([rootPath], deletion.VolumePaths);
            Assert.True(deletion.ForcesOff);
            Assert.True(File.Exists(rootPath));
            var result = await hypervisor.Editing.DeleteAsync(key, options);
            Assert.Equal([rootPath], result.RemovedVolumePaths);
            Assert.Empty(result.FailedVolumes);
            Assert.False(File.Exists(rootPath));
            Assert.Contains("media.iso", storage.VolumeNames());
            Assert.Contains("extra.raw", storage.VolumeNames()); // detached before: not the VM's any more
            await hypervisor.Live.WaitForAsync(s => s.Vms.Values.All(v => v.Name != name), "VM gone after delete");
        }
        finally
        {
            using var connection = TestDomains.OpenSystem();
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task AFailedCreateLeavesNothingBehind()
    {
        var (kernel, initrd) = DemoGuest();
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var name = TestDomains.NewName();
        try
        {
            var spec = GuestSpec(host, name, kernel, initrd, storage) with
            {
                Disks = [DiskSpec.New(storage.PoolName, "doomed.qcow2", 16UL << 20)],
                Nics = [NicSpec.OnNetwork("kvmportal-test-no-such-network")], // fails only when starting
                Autostart = true,
            };

            var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Provisioning.CreateAsync(spec));

            Assert.Contains("starting the VM", error.Message);
            Assert.Contains("Nothing was left behind", error.Message);
            Assert.Equal((HypervisorErrorKind.CreateFailed, name), (error.Kind, error.Arguments[0]));
            Assert.Contains("kvmportal-test-no-such-network", error.LibvirtMessage);
            Assert.Empty(storage.VolumeNames());
            using var connection = TestDomains.OpenSystem();
            var lookup = Assert.Throws<LibvirtException>(() => connection.LookupDomainByName(name));
            Assert.Equal(ErrorCode.NoDomain, lookup.ErrorCode);
        }
        finally
        {
            using var connection = TestDomains.OpenSystem();
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task ManagedSaveStopsTheVmAndTheNextStartRestoresIt()
    {
        var (kernel, initrd) = DemoGuest();
        using var storage = new TestStorage();
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        var name = TestDomains.NewName();
        try
        {
            var key = await hypervisor.Provisioning.CreateAsync(GuestSpec(host, name, kernel, initrd, storage) with { Vnc = null });
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.State == VmState.Running, "running");

            await hypervisor.Editing.ManagedSaveAsync(key);
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.State == VmState.ShutOff, "saved");
            Assert.True((await hypervisor.Editing.DescribeDeletionAsync(key, new DeleteOptions())).RemovesManagedSave);

            await hypervisor.Editing.StartAsync(key, paused: true);
            await hypervisor.Live.WaitForVmAsync(host, name, vm => vm.State == VmState.Paused, "restored paused");
            await hypervisor.Editing.DeleteAsync(key, new DeleteOptions());
            await hypervisor.Live.WaitForAsync(s => s.Vms.Values.All(v => v.Name != name), "VM gone after delete");
        }
        finally
        {
            using var connection = TestDomains.OpenSystem();
            TestDomains.Remove(connection, name);
        }
    }

    [Fact]
    public async Task StoragePoolsAndVolumesAreListedForPickers()
    {
        using var storage = new TestStorage();
        using var _ = storage.CreateVolume("picked.qcow2", 4UL << 20, "qcow2");
        await using var hypervisor = new HypervisorHarness();
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        var pool = Assert.Single(await hypervisor.Storage.ListPoolsAsync(host.Id), p => p.Name == storage.PoolName);
        Assert.Equal("dir", pool.Type);
        Assert.Equal(storage.PoolPath, pool.TargetPath);
        Assert.True(pool.AvailableBytes > 0);
        var volume = Assert.Single(await hypervisor.Storage.ListVolumesAsync(host.Id, storage.PoolName));
        Assert.Equal("picked.qcow2", volume.Name);
        Assert.Equal("qcow2", volume.Format);
        Assert.Equal(4UL << 20, volume.CapacityBytes);
        Assert.Equal(Path.Combine(storage.PoolPath, "picked.qcow2"), volume.Path);
    }

    private static DomainSpec GuestSpec(HostDefinition host, string name, string kernel, string initrd, TestStorage storage) => new()
    {
        HostId = host.Id,
        Name = name,
        Title = "KvmPortal test guest",
        Kind = DomainKind.Qemu,
        Machine = "pc",
        CpuMode = CpuMode.Custom,
        CpuModel = "qemu64",
        VCpus = 1,
        MaxVCpus = 2,
        MemoryBytes = 256UL << 20,
        MaxMemoryBytes = 512UL << 20,
        Install = new KernelBootSource(kernel, initrd, "console=tty1 console=ttyS0 quiet"),
        Nics = [NicSpec.OnNetwork(storage.NetworkName)],
        StartAfterCreate = true,
    };

    private static (string Kernel, string Initrd) DemoGuest()
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL");
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD");
        if (string.IsNullOrEmpty(kernel) || string.IsNullOrEmpty(initrd) || !File.Exists(kernel) || !File.Exists(initrd))
        {
            throw new XunitException(
                "These tests boot the demo guest: set KVMPORTAL_DEMO_KERNEL and KVMPORTAL_DEMO_INITRD to its kernel and initramfs " +
                $"(deploy/test.sh does; built by deploy/build-demo-guest.sh). Got '{kernel}' and '{initrd}'.");
        }
        return (kernel, initrd);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + GuestTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(200); // polling libvirt for a condition, with a timeout
        }
    }
}

/// <summary>Tests that boot guests on the system daemon run one after another: the machine has 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class SystemDaemonCollection
{
    public const string Name = "qemu:///system guests";
}
