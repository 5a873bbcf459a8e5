using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Integration;
using KvmPortal.Web.Tests.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using static KvmPortal.Web.Tests.Quotas.QuotaWorld;

namespace KvmPortal.Web.Tests.Quotas;

/// <summary>
/// Each point where the gated layer enforces team quotas, on the real PostgreSQL with recording fakes behind the gate:
/// a refusal never reaches the hypervisor, names the quota, and is audited as a refusal; what fits goes through.
/// </summary>
public sealed class QuotaEnforcementTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private static DomainSpec Spec(Guid host, int vcpus = 1, ulong memory = GiB) =>
        new() { HostId = host, Name = "kvmportal-test-quota", VCpus = vcpus, MemoryBytes = memory };

    [Fact]
    public async Task Creating_a_vm_past_the_vm_count_is_refused_and_audited_as_a_refusal()
    {
        var world = await CreateAsync(app, t => t.MaxVms = 1);
        await world.AddVmAsync(VmState.ShutOff, 1, GiB);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Provisioning.CreateAsync(Spec(world.Host.Id)));

        var message = $"Team {world.TeamName}'s VM count quota (1) would be exceeded: 1 in use, 1 requested.";
        Assert.Equal(message, error.Message);
        Assert.Equal(HypervisorErrorKind.QuotaVmsExceeded, error.Kind);
        Assert.Empty(world.InnerProvisioning.Created);
        Assert.Equal([("vm.create", "Refused: " + message)], world.Refusals);
    }

    [Fact]
    public async Task Creating_exactly_up_to_the_vcpu_and_memory_quota_works_and_one_more_is_refused()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 4; t.MaxMemoryMib = 4096; });
        await world.AddVmAsync(VmState.Running, 2, 2 * GiB);
        await world.AddVmAsync(VmState.Running, 1, GiB, owned: false); // no team: counts for nobody

        await world.Provisioning.CreateAsync(Spec(world.Host.Id, vcpus: 2, memory: 2 * GiB));
        var vcpus = await Assert.ThrowsAsync<HypervisorException>(() => world.Provisioning.CreateAsync(Spec(world.Host.Id, vcpus: 3, memory: GiB)));
        var memory = await Assert.ThrowsAsync<HypervisorException>(() => world.Provisioning.CreateAsync(Spec(world.Host.Id, vcpus: 1, memory: 2 * GiB + 1)));

        Assert.Single(world.InnerProvisioning.Created);
        Assert.Equal($"Team {world.TeamName}'s vCPU quota (4) would be exceeded: 2 in use, 3 requested.", vcpus.Message);
        Assert.Equal(HypervisorErrorKind.QuotaMemoryExceeded, memory.Kind);
    }

    [Fact]
    public async Task A_new_vms_disks_count_new_volumes_and_existing_ones_the_team_does_not_use_yet()
    {
        var world = await CreateAsync(app, t => t.MaxDiskGib = 10);
        var vm = await world.AddVmAsync(VmState.Running, 1, GiB);
        var shared = world.AddVolume(6 * GiB, users: vm);
        var spare = world.AddVolume(5 * GiB);
        world.AddVolume(4 * GiB, "iso", vm); // install media: not the team's storage

        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Provisioning.CreateAsync(Spec(world.Host.Id) with
        {
            Disks = [DiskSpec.New(world.Pool, "new.qcow2", 5 * GiB)],
        }));
        Assert.Equal($"Team {world.TeamName}'s disk quota (10 GiB) would be exceeded: 6 GiB in use, 5 GiB requested.", error.Message);
        await Assert.ThrowsAsync<HypervisorException>(() => world.Provisioning.CreateAsync(Spec(world.Host.Id) with
        {
            Install = new ImportDiskSource(new VolumeRef(world.Pool, spare)),
        }));

        // The team's own volume again (already counted) plus 4 GiB new, and a CD-ROM: exactly 10 GiB.
        await world.Provisioning.CreateAsync(Spec(world.Host.Id) with
        {
            Install = new ImportDiskSource(new VolumeRef(world.Pool, shared)),
            Disks = [DiskSpec.New(world.Pool, "new.qcow2", 4 * GiB), DiskSpec.Cdrom(new VolumeRef(world.Pool, spare))],
        });
        Assert.Single(world.InnerProvisioning.Created);
    }

    [Fact]
    public async Task Starting_is_checked_only_for_running_only_quotas()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 4; t.QuotaCountsRunningOnly = true; });
        await world.AddVmAsync(VmState.Running, 2, GiB);
        var big = await world.AddVmAsync(VmState.ShutOff, 3, GiB);
        var small = await world.AddVmAsync(VmState.ShutOff, 2, GiB);

        var viaList = await Assert.ThrowsAsync<HypervisorException>(() => world.Vms.ExecuteAsync(big.Key, VmAction.Start));
        await Assert.ThrowsAsync<HypervisorException>(() => world.Editing.StartAsync(big.Key, paused: true));
        await world.Vms.ExecuteAsync(small.Key, VmAction.Start); // exactly at the limit

        Assert.Equal($"Team {world.TeamName}'s vCPU quota (4) would be exceeded: 2 in use, 3 requested.", viaList.Message);
        Assert.Equal([(small.Key, VmAction.Start)], world.InnerVms.Calls.ToArray());
        Assert.Empty(world.InnerEditing.Calls);
        Assert.Equal(["vm.start", "vm.start"], world.Refusals.Select(r => r.Action));

        var always = await CreateAsync(app, t => t.MaxVcpus = 4);
        var defined = await always.AddVmAsync(VmState.ShutOff, 4, GiB);
        await always.Vms.ExecuteAsync(defined.Key, VmAction.Start); // counted since it was defined
        Assert.Single(always.InnerVms.Calls);
    }

    [Fact]
    public async Task A_revert_that_starts_the_vm_is_checked_like_a_start()
    {
        var world = await CreateAsync(app, t => { t.MaxMemoryMib = 2048; t.QuotaCountsRunningOnly = true; });
        await world.AddVmAsync(VmState.Running, 1, GiB);
        var vm = await world.AddVmAsync(VmState.ShutOff, 1, 2 * GiB);
        world.InnerSnapshots.Snapshots.Add(new SnapshotInfo("live", null, DateTimeOffset.UtcNow, "running", true, false, null, false));
        world.InnerSnapshots.Snapshots.Add(new SnapshotInfo("cold", null, DateTimeOffset.UtcNow, "shutoff", false, false, null, false));

        await Assert.ThrowsAsync<HypervisorException>(() => world.Snapshots.RevertAsync(vm.Key, "live", RevertStart.AsSaved));
        await Assert.ThrowsAsync<HypervisorException>(() => world.Snapshots.RevertAsync(vm.Key, "cold", RevertStart.Paused));
        await world.Snapshots.RevertAsync(vm.Key, "cold", RevertStart.AsSaved);

        Assert.Equal(["Revert cold AsSaved"], world.InnerSnapshots.Calls.ToArray());
        Assert.Equal(["vm.snapshot.revert", "vm.snapshot.revert"], world.Refusals.Select(r => r.Action));
    }

    [Fact]
    public async Task A_revert_to_a_snapshot_with_more_vcpus_or_memory_is_checked_for_the_growth()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 4; t.MaxMemoryMib = 4096; });
        var vm = await world.AddVmAsync(VmState.ShutOff, 2, 2 * GiB);
        world.InnerSnapshots.Snapshots.Add(new SnapshotInfo("big", null, DateTimeOffset.UtcNow, "shutoff", false, false, null, false, Vcpus: 8, MemoryBytes: 2 * GiB));
        world.InnerSnapshots.Snapshots.Add(new SnapshotInfo("fits", null, DateTimeOffset.UtcNow, "shutoff", false, false, null, false, Vcpus: 4, MemoryBytes: 4 * GiB));

        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Snapshots.RevertAsync(vm.Key, "big", RevertStart.AsSaved));
        await world.Snapshots.RevertAsync(vm.Key, "fits", RevertStart.AsSaved);

        Assert.Equal($"Team {world.TeamName}'s vCPU quota (4) would be exceeded: 2 in use, 6 requested.", error.Message);
        Assert.Equal(["Revert fits AsSaved"], world.InnerSnapshots.Calls.ToArray());
    }

    [Fact]
    public async Task Raising_vcpus_or_memory_is_checked_against_the_vms_current_allocation()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 4; t.MaxMemoryMib = 4096; });
        var vm = await world.AddVmAsync(VmState.Running, 2, 2 * GiB);

        await world.Editing.SetVcpusAsync(vm.Key, 4, ChangeScope.Both);
        await world.Editing.SetMemoryAsync(vm.Key, 4 * GiB, ChangeScope.Config);
        var vcpus = await Assert.ThrowsAsync<HypervisorException>(() => world.Editing.SetVcpusAsync(vm.Key, 5, ChangeScope.Live));
        var memory = await Assert.ThrowsAsync<HypervisorException>(() => world.Editing.SetMemoryAsync(vm.Key, 6 * GiB, ChangeScope.Both));

        Assert.Equal(["SetVcpus 4 Both", $"SetMemory {4 * GiB} Config"], world.InnerEditing.Calls.ToArray());
        Assert.Equal($"Team {world.TeamName}'s vCPU quota (4) would be exceeded: 2 in use, 3 requested.", vcpus.Message);
        Assert.Equal($"Team {world.TeamName}'s memory quota (4 GiB) would be exceeded: 2 GiB in use, 4 GiB requested.", memory.Message);
        Assert.Equal([("vm.edit.vcpus", "Refused: " + vcpus.Message), ("vm.edit.memory", "Refused: " + memory.Message)], world.Refusals);
    }

    [Fact]
    public async Task An_edited_definition_is_checked_for_its_vcpus_and_memory()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 4; t.MaxMemoryMib = 4096; });
        var vm = await world.AddVmAsync(VmState.ShutOff, 2, 2 * GiB);

        await world.Editing.ReplaceXmlAsync(vm.Key, "<domain><vcpu placement='static'>4</vcpu><memory unit='GiB'>4</memory></domain>");
        var error = await Assert.ThrowsAsync<HypervisorException>(() =>
            world.Editing.ReplaceXmlAsync(vm.Key, "<domain><vcpu current='2'>8</vcpu><memory unit='KiB'>8388608</memory><currentMemory unit='KiB'>6291456</currentMemory></domain>"));

        Assert.Equal($"Team {world.TeamName}'s memory quota (4 GiB) would be exceeded: 2 GiB in use, 4 GiB requested.", error.Message);
        Assert.Equal(["ReplaceXml"], world.InnerEditing.Calls.ToArray());
        Assert.Equal(["vm.edit.xml"], world.Refusals.Select(r => r.Action));
    }

    [Fact]
    public async Task Disks_added_in_an_edited_definition_count_the_volumes_the_team_does_not_use_yet()
    {
        var world = await CreateAsync(app, t => t.MaxDiskGib = 10);
        var vm = await world.AddVmAsync(VmState.ShutOff, 1, GiB);
        var used = world.AddVolume(8 * GiB, users: vm);
        var small = world.AddVolume(2 * GiB);
        var large = world.AddVolume(3 * GiB);
        var iso = world.AddVolume(4 * GiB, format: "iso");
        static string Domain(params string[] disks) =>
            $"<domain><vcpu>1</vcpu><memory unit='GiB'>1</memory><devices>{string.Concat(disks)}</devices></domain>";
        var keep = $"<disk type='file' device='disk'><source file='/p/{used}'/></disk>";

        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Editing.ReplaceXmlAsync(vm.Key,
            Domain(keep, $"<disk type='volume' device='disk'><source pool='{world.Pool}' volume='{large}'/></disk>")));
        await world.Editing.ReplaceXmlAsync(vm.Key, Domain(keep,
            $"<disk type='file'><source file='/p/{small}'/></disk>",
            $"<disk type='file' device='cdrom'><source file='/p/{large}'/></disk>",
            $"<disk type='file' device='disk'><source file='/p/{iso}'/></disk>",
            "<disk type='file' device='disk'><source file='/elsewhere/outside-pools.img'/></disk>"));

        Assert.Equal($"Team {world.TeamName}'s disk quota (10 GiB) would be exceeded: 8 GiB in use, 3 GiB requested.", error.Message);
        Assert.Equal(["ReplaceXml"], world.InnerEditing.Calls.ToArray());
        Assert.Equal(["vm.edit.xml"], world.Refusals.Select(r => r.Action));
    }

    [Fact]
    public async Task Attaching_a_disk_counts_its_size_or_the_existing_volumes_capacity()
    {
        var world = await CreateAsync(app, t => t.MaxDiskGib = 10);
        var vm = await world.AddVmAsync(VmState.Running, 1, GiB);
        world.AddVolume(8 * GiB, users: vm);
        var small = world.AddVolume(2 * GiB);
        var large = world.AddVolume(3 * GiB);

        var error = await Assert.ThrowsAsync<HypervisorException>(() =>
            world.Editing.AttachDiskAsync(vm.Key, DiskSpec.New(world.Pool, "more.qcow2", 3 * GiB), ChangeScope.Both));
        await Assert.ThrowsAsync<HypervisorException>(() =>
            world.Editing.AttachDiskAsync(vm.Key, new DiskSpec { ExistingVolume = new VolumeRef(world.Pool, large) }, ChangeScope.Both));
        await world.Editing.AttachDiskAsync(vm.Key, new DiskSpec { ExistingVolume = new VolumeRef(world.Pool, small) }, ChangeScope.Both);
        await world.Editing.AttachDiskAsync(vm.Key, DiskSpec.Cdrom(new VolumeRef(world.Pool, large)), ChangeScope.Config);

        Assert.Equal($"Team {world.TeamName}'s disk quota (10 GiB) would be exceeded: 8 GiB in use, 3 GiB requested.", error.Message);
        Assert.Equal(2, world.InnerEditing.Calls.Count);
        Assert.Equal(["vm.edit.attach-disk", "vm.edit.attach-disk"], world.Refusals.Select(r => r.Action));
    }

    [Fact]
    public async Task Growing_a_volume_a_teams_vm_uses_is_checked_against_that_teams_disk_quota()
    {
        var world = await CreateAsync(app, t => t.MaxDiskGib = 10);
        var vm = await world.AddVmAsync(VmState.ShutOff, 1, GiB);
        var used = world.AddVolume(8 * GiB, users: vm);
        var free = world.AddVolume(8 * GiB);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Storage.ResizeVolumeAsync(world.Host.Id, world.Pool, used, 11 * GiB, false));
        await world.Storage.ResizeVolumeAsync(world.Host.Id, world.Pool, used, 10 * GiB, false);
        await world.Storage.ResizeVolumeAsync(world.Host.Id, world.Pool, free, 50 * GiB, false); // no team's VM uses it

        Assert.Equal($"Team {world.TeamName}'s disk quota (10 GiB) would be exceeded: 8 GiB in use, 3 GiB requested.", error.Message);
        Assert.DoesNotContain($"resize {world.Pool}/{used} {11 * GiB} False", app.Storage.Calls);
        Assert.Contains($"resize {world.Pool}/{used} {10 * GiB} False", app.Storage.Calls);
        Assert.Equal([("storage.volume.resize", "Refused: " + error.Message)], world.Refusals);
    }

    [Fact]
    public async Task Vms_of_no_team_have_no_quota()
    {
        var world = await CreateAsync(app, t => { t.MaxVcpus = 1; t.MaxVms = 1; t.QuotaCountsRunningOnly = true; });
        await world.AddVmAsync(VmState.Running, 1, GiB);
        var unowned = await world.AddVmAsync(VmState.ShutOff, 8, GiB, owned: false);

        await world.Vms.ExecuteAsync(unowned.Key, VmAction.Start);
        await world.Editing.SetVcpusAsync(unowned.Key, 64, ChangeScope.Config);

        Assert.Single(world.InnerVms.Calls);
        Assert.Single(world.InnerEditing.Calls);
        Assert.Empty(world.Refusals);
    }

    [Fact]
    public async Task The_refusal_reads_in_the_users_language()
    {
        var world = await CreateAsync(app, t => t.MaxMemoryMib = 1024);
        var vm = await world.AddVmAsync(VmState.Running, 1, GiB);
        var error = await Assert.ThrowsAsync<HypervisorException>(() => world.Editing.SetMemoryAsync(vm.Key, 2 * GiB, ChangeScope.Live));

        using var _ = new CultureScope("zh-Hans");
        var text = app.Services.GetRequiredService<IStringLocalizer<Strings>>();
        Assert.Equal($"设置内存：将超出团队 {world.TeamName} 的内存配额（1 GiB）：已使用 1 GiB，本次请求 1 GiB。", ErrorMessages.Explain(text, error, "设置内存"));
    }
}
