using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Migrations between qemu:///system and the second libvirt host on this machine (deploy/lib/second-host.sh), with
/// throw-away kvmportal-test-* domains booting the demo kernel from the images folder both hosts share.
/// </summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class VmMigrationTests
{
    private static readonly XNamespace Ownership = "https://kvmportal.dev/xmlns/ownership/1";

    [Fact]
    public async Task A_running_vm_moves_live_to_the_second_host_and_back_keeping_its_metadata()
    {
        var name = TestDomains.NewName();
        try
        {
            var xml = SecondHost.DemoDomainXml(name);
            xml.Add(new XElement("metadata", new XElement(Ownership + "owner", new XAttribute(XNamespace.Xmlns + "kpo", Ownership), new XAttribute("team", "t-migrate"))));
            Guid uuid;
            using (var system = TestDomains.OpenSystem())
            using (var domain = system.DefineDomain(xml.ToString()))
            {
                domain.Create();
                uuid = domain.Uuid;
            }
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);
            await hypervisor.Live.WaitForVmAsync(main, name, v => v.State == VmState.Running, "running");
            var progress = new ProgressLog();

            var moved = await hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Live), progress);

            Assert.Equal(new VmKey(second.Id, uuid), moved);
            using (var target = SecondHost.Open())
            using (var there = target.LookupDomainByUuid(uuid))
            {
                Assert.Equal(DomainState.Running, there.GetState().State);
                Assert.True(there.IsPersistent);
                Assert.Contains("t-migrate", there.GetXmlDescription(DomainXmlFlags.Inactive));
            }
            using (var system = TestDomains.OpenSystem())
                Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => system.LookupDomainByUuid(uuid)).ErrorCode);
            await hypervisor.Live.WaitForAsync(s => s.Vms.TryGetValue(moved, out var v) && v.State == VmState.Running
                && !s.Vms.ContainsKey(new VmKey(main.Id, uuid)), "the inventory to show the VM on the second host only");
            Assert.Equal(MigrationPhase.Checking, progress.Reports[0].Phase);
            Assert.Equal(MigrationPhase.Done, progress.Reports[^1].Phase);

            var back = await hypervisor.Migration.MigrateAsync(moved,
                new MigrationSpec(main.Id, MigrationMode.Live, MigrationAddress: SecondHost.MainHostAddress));

            using (var system = TestDomains.OpenSystem())
            using (var home = system.LookupDomainByUuid(uuid))
                Assert.Equal(DomainState.Running, home.GetState().State);
            Assert.Equal(new VmKey(main.Id, uuid), back);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
        }
    }

    [Fact]
    public async Task A_shut_off_vm_with_a_shared_disk_moves_offline_and_can_stay_on_the_source()
    {
        var name = TestDomains.NewName();
        var disk = Path.Combine(SecondHost.SharedImages, name + ".img");
        try
        {
            await File.WriteAllBytesAsync(disk, new byte[1 << 20]);
            var uuid = Define(name, WithDisk(SecondHost.DemoDomainXml(name), disk));
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);
            await hypervisor.Live.WaitForVmAsync(main, name, v => v.State == VmState.ShutOff, "defined");

            var moved = await hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Offline, KeepOnSource: true));

            using (var target = SecondHost.Open())
            using (var there = target.LookupDomainByUuid(uuid))
            {
                Assert.Equal(DomainState.Shutoff, there.GetState().State);
                Assert.Contains(disk, there.GetXmlDescription(DomainXmlFlags.Inactive));
            }
            using (var system = TestDomains.OpenSystem())
            using (var kept = system.LookupDomainByUuid(uuid))
                Assert.True(kept.IsPersistent);
            await hypervisor.Live.WaitForVmAsync(second, name, v => v.Key == moved, "defined on the second host");

            // The copy on the target now takes the name: moving again is refused. Without it, the move undefines the source.
            using (var target = SecondHost.Open()) TestDomains.Remove(target, name);
            await hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Offline));

            using (var system = TestDomains.OpenSystem())
                Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => system.LookupDomainByUuid(uuid)).ErrorCode);
            using (var target = SecondHost.Open())
            using (var there = target.LookupDomainByUuid(uuid))
                Assert.True(there.IsPersistent);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
            File.Delete(disk);
        }
    }

    [Fact]
    public async Task Cancelling_a_live_migration_aborts_it_and_the_vm_keeps_running_on_the_source()
    {
        var name = TestDomains.NewName();
        try
        {
            var uuid = Define(name, SecondHost.DemoDomainXml(name), start: true);
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);
            using var cancel = new CancellationTokenSource();
            // At 1 MiB/s the guest's memory (its kernel and initramfs at least) takes many seconds to send: cancel
            // as soon as libvirt reports data sent.
            var progress = new ProgressLog(p =>
            {
                if (p is { Phase: MigrationPhase.Transferring, ProcessedBytes: > 0 }) cancel.Cancel();
            });

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hypervisor.Migration.MigrateAsync(
                new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Live, BandwidthMiBps: 1), progress, cancel.Token));

            Assert.Contains(progress.Reports, p => p.Phase == MigrationPhase.Transferring && p.TotalBytes > 0);
            using (var system = TestDomains.OpenSystem())
            using (var domain = system.LookupDomainByUuid(uuid))
                Assert.Equal(DomainState.Running, domain.GetState().State);
            using (var target = SecondHost.Open())
                Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => target.LookupDomainByUuid(uuid)).ErrorCode);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
        }
    }

    [Fact]
    public async Task A_vm_whose_name_is_taken_on_the_target_is_refused()
    {
        var name = TestDomains.NewName();
        try
        {
            var uuid = Define(name, SecondHost.DemoDomainXml(name));
            using (var target = SecondHost.Open())
            using (target.DefineDomain(SecondHost.DemoDomainXml(name).ToString())) { }
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);

            var refused = await Assert.ThrowsAsync<HypervisorException>(() =>
                hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Offline)));

            Assert.Equal(HypervisorErrorKind.MigrationVmExists, refused.Kind);
            Assert.Equal([name, second.Name], refused.Arguments);
            using var system = TestDomains.OpenSystem();
            using var stillHere = system.LookupDomainByUuid(uuid);
            Assert.True(stillHere.IsPersistent);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
        }
    }

    [Fact]
    public async Task A_disk_the_target_has_no_pool_for_is_refused_by_name()
    {
        var name = TestDomains.NewName();
        var folder = Directory.CreateDirectory($"/var/lib/libvirt/{name}").FullName; // private to each host's mount namespace
        var disk = Path.Combine(folder, "disk.img");
        try
        {
            await File.WriteAllBytesAsync(disk, new byte[1 << 20]);
            var uuid = Define(name, WithDisk(SecondHost.DemoDomainXml(name), disk));
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);

            var refused = await Assert.ThrowsAsync<HypervisorException>(() =>
                hypervisor.Migration.CheckAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Offline)));

            Assert.Equal(HypervisorErrorKind.MigrationDiskMissing, refused.Kind);
            Assert.Equal(["vda", disk, second.Name], refused.Arguments);
            using var target = SecondHost.Open();
            Assert.Equal(ErrorCode.NoDomain, Assert.Throws<LibvirtException>(() => target.LookupDomainByUuid(uuid)).ErrorCode);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_disk_only_the_source_has_is_copied_by_a_live_migration_into_the_targets_pool_for_its_folder()
    {
        var name = TestDomains.NewName();
        var folder = Directory.CreateDirectory($"/var/lib/libvirt/{name}").FullName; // private to each host's mount namespace
        var disk = Path.Combine(folder, "disk.img");
        try
        {
            var content = new byte[1 << 20];
            "COPIED"u8.CopyTo(content);
            await File.WriteAllBytesAsync(disk, content);
            var uuid = Define(name, WithDisk(SecondHost.DemoDomainXml(name), disk), start: true);
            SecondHost.DefinePoolThere(name, folder);
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);
            var vm = new VmKey(main.Id, uuid);
            var shared = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Migration.CheckAsync(vm, new MigrationSpec(second.Id, MigrationMode.Live)));
            Assert.Equal(HypervisorErrorKind.MigrationDiskMissing, shared.Kind);
            var offline = await Assert.ThrowsAsync<HypervisorException>(() =>
                hypervisor.Migration.CheckAsync(vm, new MigrationSpec(second.Id, MigrationMode.Offline, CopyStorage: true)));
            Assert.Equal(HypervisorErrorKind.MigrationCopyNeedsLive, offline.Kind);

            await hypervisor.Migration.MigrateAsync(vm, new MigrationSpec(second.Id, MigrationMode.Live, CopyStorage: true));

            using (var target = SecondHost.Open())
            using (var there = target.LookupDomainByUuid(uuid))
                Assert.Equal(DomainState.Running, there.GetState().State);
            Assert.Equal("COPIED", SecondHost.ReadStartThere(disk, 6));
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
            SecondHost.RemovePoolThere(name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_disk_to_copy_without_a_pool_for_its_folder_on_the_target_is_refused_by_name()
    {
        var name = TestDomains.NewName();
        var folder = Directory.CreateDirectory($"/var/lib/libvirt/{name}").FullName;
        var disk = Path.Combine(folder, "disk.img");
        try
        {
            await File.WriteAllBytesAsync(disk, new byte[1 << 20]);
            var uuid = Define(name, WithDisk(SecondHost.DemoDomainXml(name), disk), start: true);
            await using var hypervisor = new HypervisorHarness();
            var (main, second) = await AttachBothAsync(hypervisor);

            var refused = await Assert.ThrowsAsync<HypervisorException>(() =>
                hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(second.Id, MigrationMode.Live, CopyStorage: true)));

            Assert.Equal(HypervisorErrorKind.MigrationDiskNoPool, refused.Kind);
            Assert.Equal(["vda", disk, second.Name], refused.Arguments);
            using var system = TestDomains.OpenSystem();
            using var domain = system.LookupDomainByUuid(uuid);
            Assert.Equal(DomainState.Running, domain.GetState().State);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_offline_target_the_own_host_and_a_mode_that_does_not_fit_the_state_are_refused()
    {
        var name = TestDomains.NewName();
        try
        {
            var uuid = Define(name, SecondHost.DemoDomainXml(name));
            await using var hypervisor = new HypervisorHarness();
            var (main, _) = await AttachBothAsync(hypervisor);
            var gone = hypervisor.Attach("qemu+tcp://10.251.0.2:1/system", "nowhere"); // nothing listens on port 1
            await hypervisor.Live.WaitForHostAsync(gone, HostStatus.Offline);
            var vm = new VmKey(main.Id, uuid);

            var offline = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Migration.MigrateAsync(vm, new MigrationSpec(gone.Id, MigrationMode.Offline)));
            var sameHost = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Migration.MigrateAsync(vm, new MigrationSpec(main.Id, MigrationMode.Offline)));
            var second = hypervisor.Live.Current.Hosts.Values.Single(h => h.Uri == SecondHost.Uri);
            var notRunning = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Migration.MigrateAsync(vm, new MigrationSpec(second.Id, MigrationMode.Live)));

            Assert.Equal((HypervisorErrorKind.MigrationTargetOffline, "nowhere"), (offline.Kind!.Value, offline.Arguments[0]));
            Assert.Equal(HypervisorErrorKind.MigrationSameHost, sameHost.Kind);
            Assert.Equal((HypervisorErrorKind.MigrationLiveNeedsRunning, name), (notRunning.Kind!.Value, notRunning.Arguments[0]));
            using var system = TestDomains.OpenSystem();
            using var domain = system.LookupDomainByUuid(uuid);
            domain.Create();
            var running = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Migration.CheckAsync(vm, new MigrationSpec(second.Id, MigrationMode.Offline)));
            Assert.Equal(HypervisorErrorKind.MigrationOfflineNeedsShutOff, running.Kind);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
        }
    }

    private static async Task<(HostDefinition Main, HostDefinition Second)> AttachBothAsync(HypervisorHarness hypervisor)
    {
        using (SecondHost.Open()) { } // fails loudly, naming the script, when the second host is not there
        var main = hypervisor.Attach(TestDomains.SystemUri, "main");
        var second = hypervisor.Attach(SecondHost.Uri, "second");
        await hypervisor.Live.WaitForHostAsync(main, HostStatus.Online);
        await hypervisor.Live.WaitForHostAsync(second, HostStatus.Online);
        return (main, second);
    }

    private static Guid Define(string name, XElement xml, bool start = false)
    {
        using var system = TestDomains.OpenSystem();
        using var domain = system.DefineDomain(xml.ToString());
        if (start) domain.Create();
        return domain.Uuid;
    }

    private static XElement WithDisk(XElement xml, string path)
    {
        xml.Element("devices")!.AddFirst(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));
        return xml;
    }

    private sealed class ProgressLog(Action<MigrationProgress>? onReport = null) : IProgress<MigrationProgress>
    {
        private readonly List<MigrationProgress> _reports = [];

        public IReadOnlyList<MigrationProgress> Reports
        {
            get
            {
                lock (_reports) return [.. _reports];
            }
        }

        public void Report(MigrationProgress value)
        {
            lock (_reports) _reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
