using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>Snapshots through the service layer on qemu:///system, of shut-off kvmportal-test-* domains.</summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class SnapshotOperationsTests
{
    [Fact]
    public async Task Internal_snapshots_form_a_tree_and_revert_restores_the_disk_content()
    {
        using var domain = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, domain);
        var ops = hypervisor.Snapshots;

        domain.WriteMarker("BEFORE");
        Assert.Equal("first", await ops.CreateAsync(vm, new SnapshotSpec("first", "clean", SnapshotKind.Internal, false)));
        domain.WriteMarker("MIDDLE");
        await ops.CreateAsync(vm, new SnapshotSpec("second", null, SnapshotKind.Internal, false));
        await ops.CreateAsync(vm, new SnapshotSpec("third", null, SnapshotKind.Internal, false));
        domain.WriteMarker("AFTER!");

        var list = await ops.ListAsync(vm);
        Assert.Equal(["first", "second", "third"], list.Select(s => s.Name));
        Assert.Equal([null, "first", "second"], list.Select(s => s.Parent));
        Assert.Equal("third", Assert.Single(list, s => s.IsCurrent).Name);
        var first = list[0];
        Assert.Equal("clean", first.Description);
        Assert.Equal("shutoff", first.State);
        Assert.False(first.IncludesMemory);
        Assert.False(first.IsExternal);
        Assert.Equal(1, first.Vcpus); // the definition the snapshot saved (TestDomains' tiny domain)
        Assert.Equal(64UL << 20, first.MemoryBytes);
        Assert.InRange(first.CreatedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var root = Assert.Single(SnapshotTree.Build(list));
        Assert.Equal("third", Assert.Single(Assert.Single(root.Children).Children).Snapshot.Name);

        await ops.RevertAsync(vm, "first", RevertStart.AsSaved);
        Assert.Equal("BEFORE", domain.ReadStart(6));
        using (var libvirtDomain = domain.Lookup()) Assert.False(libvirtDomain.IsActive);
        Assert.Equal("first", Assert.Single(await ops.ListAsync(vm), s => s.IsCurrent).Name);
        await ops.RevertAsync(vm, "second", RevertStart.AsSaved);
        Assert.Equal("MIDDLE", domain.ReadStart(6));

        await ops.DeleteAsync(vm, "first", withChildren: true);
        Assert.Empty(await ops.ListAsync(vm));
    }

    [Fact]
    public async Task Description_is_edited_and_a_deleted_parent_hands_its_children_up()
    {
        using var domain = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, domain);
        var ops = hypervisor.Snapshots;
        await ops.CreateAsync(vm, new SnapshotSpec("a", "old", SnapshotKind.Internal, false));
        await ops.CreateAsync(vm, new SnapshotSpec("b", null, SnapshotKind.Internal, false));

        await ops.SetDescriptionAsync(vm, "a", "new words");
        await ops.SetDescriptionAsync(vm, "b", "latest");
        var list = await ops.ListAsync(vm);
        Assert.Equal("new words", list.Single(s => s.Name == "a").Description);
        var b = list.Single(s => s.Name == "b");
        Assert.Equal("latest", b.Description);
        Assert.True(b.IsCurrent); // redefining the current snapshot keeps it current
        Assert.False(list.Single(s => s.Name == "a").IsCurrent);
        await ops.SetDescriptionAsync(vm, "a", null);
        Assert.Null((await ops.ListAsync(vm)).Single(s => s.Name == "a").Description);

        await ops.DeleteAsync(vm, "a", withChildren: false);
        var left = Assert.Single(await ops.ListAsync(vm));
        Assert.Equal("b", left.Name);
        Assert.Null(left.Parent);
    }

    [Fact]
    public async Task Refusals_come_before_libvirt_with_their_kind()
    {
        using var domain = new SnapshotDomain(format: "raw");
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, domain);
        var ops = hypervisor.Snapshots;

        var raw = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("s", null, SnapshotKind.Internal, false)));
        Assert.Equal(HypervisorErrorKind.SnapshotDiskFormat, raw.Kind);
        Assert.Equal(["vda", "raw"], raw.Arguments);
        var memory = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("s", null, SnapshotKind.ExternalDiskOnly, true)));
        Assert.Equal(HypervisorErrorKind.SnapshotExternalNoMemory, memory.Kind);
        var unnamed = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec(" ", null, SnapshotKind.ExternalDiskOnly, false)));
        Assert.Equal(HypervisorErrorKind.SnapshotNameRequired, unnamed.Kind);
        var gone = await Assert.ThrowsAsync<HypervisorException>(() => ops.RevertAsync(vm, "missing", RevertStart.AsSaved));
        Assert.Equal(HypervisorErrorKind.SnapshotGone, gone.Kind);
        Assert.Empty(await ops.ListAsync(vm));

        // A raw disk does allow an external snapshot: a qcow2 overlay named after it, next to the disk.
        await ops.CreateAsync(vm, new SnapshotSpec("ext", null, SnapshotKind.ExternalDiskOnly, false));
        var external = Assert.Single(await ops.ListAsync(vm));
        Assert.True(external.IsExternal);
        Assert.Equal("shutoff", external.State); // libvirt records the VM's state, which was off
        var overlay = Path.Combine(domain.PoolPath, "disk.ext.qcow2");
        Assert.True(File.Exists(overlay));
        using (var libvirtDomain = domain.Lookup())
            Assert.Contains(overlay, libvirtDomain.GetXmlDescription());
        var exists = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("ext", null, SnapshotKind.ExternalDiskOnly, false)));
        Assert.Equal(HypervisorErrorKind.SnapshotExists, exists.Kind);
    }

    [Fact]
    public async Task A_cdrom_with_media_blocks_internal_snapshots_and_memory_needs_a_running_vm()
    {
        using var domain = new SnapshotDomain(withCdrom: true);
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, domain);
        var ops = hypervisor.Snapshots;

        var cdrom = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("s", null, SnapshotKind.Internal, false)));
        Assert.Equal(HypervisorErrorKind.SnapshotReadOnlyDisk, cdrom.Kind);
        Assert.Equal(["sda"], cdrom.Arguments);
        var memory = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("s", null, SnapshotKind.Internal, true)));
        Assert.Equal(HypervisorErrorKind.SnapshotMemoryNeedsRunning, memory.Kind);
        Assert.Empty(await ops.ListAsync(vm));
    }

    [Fact]
    public async Task A_running_vm_gets_its_memory_saved_and_reverts_paused()
    {
        using var domain = new SnapshotDomain();
        await using var hypervisor = new HypervisorHarness();
        var vm = await AttachAsync(hypervisor, domain);
        var ops = hypervisor.Snapshots;
        using (var libvirtDomain = domain.Lookup()) libvirtDomain.Create();

        var noMemory = await Assert.ThrowsAsync<HypervisorException>(() => ops.CreateAsync(vm, new SnapshotSpec("s", null, SnapshotKind.Internal, false)));
        Assert.Equal(HypervisorErrorKind.SnapshotMemoryRequired, noMemory.Kind);
        await ops.CreateAsync(vm, new SnapshotSpec("live", null, SnapshotKind.Internal, true));
        var live = Assert.Single(await ops.ListAsync(vm));
        Assert.True(live.IncludesMemory);
        Assert.Equal("running", live.State);

        using (var libvirtDomain = domain.Lookup()) libvirtDomain.Destroy();
        // A template is not started, not even by reverting "as saved" to a snapshot of it running.
        await hypervisor.Templates.SetTemplateAsync(vm, true);
        var template = await Assert.ThrowsAsync<HypervisorException>(() => ops.RevertAsync(vm, "live", RevertStart.AsSaved));
        Assert.Equal(HypervisorErrorKind.VmIsTemplate, template.Kind);
        using (var libvirtDomain = domain.Lookup()) Assert.False(libvirtDomain.IsActive);
        await hypervisor.Templates.SetTemplateAsync(vm, false);

        await ops.RevertAsync(vm, "live", RevertStart.Paused);
        using (var libvirtDomain = domain.Lookup()) Assert.Equal(DomainState.Paused, libvirtDomain.GetState().State);
    }

    [Fact]
    public async Task A_vm_without_disks_has_nothing_to_snapshot()
    {
        using var connection = TestDomains.OpenSystem();
        var name = TestDomains.NewName();
        try
        {
            Guid uuid;
            using (var domain = connection.DefineDomain(TestDomains.TinyDomainXml(name))) uuid = domain.Uuid;
            await using var hypervisor = new HypervisorHarness();
            var host = hypervisor.Attach(TestDomains.SystemUri);
            await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
            var vm = new VmKey(host.Id, uuid);
            foreach (var kind in new[] { SnapshotKind.Internal, SnapshotKind.ExternalDiskOnly })
            {
                var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.Snapshots.CreateAsync(vm, new SnapshotSpec("s", null, kind, false)));
                Assert.Equal(HypervisorErrorKind.SnapshotNoDisks, error.Kind);
            }
        }
        finally
        {
            TestDomains.Remove(connection, name);
        }
    }

    private static async Task<VmKey> AttachAsync(HypervisorHarness hypervisor, SnapshotDomain domain)
    {
        var host = hypervisor.Attach(TestDomains.SystemUri);
        await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);
        return new VmKey(host.Id, domain.Uuid);
    }
}
