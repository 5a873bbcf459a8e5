using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Quotas;

/// <summary>
/// Refuses, before libvirt is asked, what would take a team over its quota: creating a VM for it, starting one of its
/// VMs (running-only quotas), raising a VM's vCPUs or memory, attaching a disk, growing a volume its VMs use. The
/// gated decorators call it as their operation's admission check (reverting to a snapshot with more vCPUs or memory too), so a refusal is audited like a permission refusal.
/// It throws <see cref="QuotaRules.Refusal"/>; VMs of no team have no quota.
/// </summary>
public sealed class QuotaGuard(QuotaUsageReader usage, IInventory inventory, VmOwnershipIndex ownership)
{
    public Task EnsureCreateAsync(Guid? team, DomainSpec spec, CancellationToken cancellationToken = default) =>
        team is { } id
            ? EnsureAsync(id, involvesDisks: true, async (quota, use, scan) =>
            {
                var compute = !quota.CountsRunningOnly || spec.StartAfterCreate;
                var disk = quota.MaxDiskGib is null ? 0 : await new DiskRequest(spec.HostId, use, scan).OfAsync(spec, cancellationToken);
                return new QuotaAmounts(1, compute ? (ulong)Math.Max(spec.VCpus, 0) : 0, compute ? spec.MemoryBytes : 0, disk);
            }, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// A clone is a new, shut-off VM with the source's vCPUs and memory and new volumes of the source disks' virtual
    /// sizes (a linked clone's overlay can grow to its full size, so it counts the same).
    /// </summary>
    public Task EnsureCloneAsync(Guid? team, VmKey source, IReadOnlyList<ClonedDisk> disks, CancellationToken cancellationToken = default) =>
        team is { } id && inventory.Current.Vms.TryGetValue(source, out var info)
            ? EnsureAsync(id, involvesDisks: true, (quota, _, _) =>
            {
                var compute = !quota.CountsRunningOnly;
                var disk = disks.Aggregate(0UL, (sum, d) => sum + d.CapacityBytes);
                return Task.FromResult(new QuotaAmounts(1, compute ? (ulong)Math.Max(info.VCpus, 0) : 0, compute ? info.MemoryBytes : 0, disk));
            }, cancellationToken)
            : Task.CompletedTask;

    /// <summary>Starting a VM that does not run adds its vCPUs and memory to a running-only quota.</summary>
    public Task EnsureStartAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        EnsureForVmAsync(vm, involvesDisks: false, (quota, info, _, _) =>
            Task.FromResult(quota.CountsRunningOnly && !QuotaRules.Occupies(info.State)
                ? new QuotaAmounts(Vcpus: (ulong)Math.Max(info.VCpus, 0), MemoryBytes: info.MemoryBytes)
                : QuotaAmounts.None), cancellationToken);

    /// <summary>
    /// A revert brings back the snapshot's vCPUs and memory, and runs the VM when <paramref name="runsAfter"/>: the
    /// growth over what counts now is checked (all of it when the VM counts only while running and does not run now).
    /// </summary>
    public Task EnsureRevertAsync(VmKey vm, SnapshotInfo snapshot, bool runsAfter, CancellationToken cancellationToken = default) =>
        EnsureForVmAsync(vm, involvesDisks: false, (quota, info, _, _) =>
        {
            if (quota.CountsRunningOnly && !runsAfter)
                return Task.FromResult(QuotaAmounts.None);
            var countedNow = QuotaRules.CountsCompute(info, quota.CountsRunningOnly);
            var vcpusNow = countedNow ? (ulong)Math.Max(info.VCpus, 0) : 0;
            var memoryNow = countedNow ? info.MemoryBytes : 0;
            var vcpusAfter = (ulong)Math.Max(snapshot.Vcpus ?? info.VCpus, 0);
            var memoryAfter = snapshot.MemoryBytes ?? info.MemoryBytes;
            return Task.FromResult(new QuotaAmounts(
                Vcpus: vcpusAfter > vcpusNow ? vcpusAfter - vcpusNow : 0,
                MemoryBytes: memoryAfter > memoryNow ? memoryAfter - memoryNow : 0));
        }, cancellationToken);

    public Task EnsureVcpusAsync(VmKey vm, int count, CancellationToken cancellationToken = default) =>
        EnsureForVmAsync(vm, involvesDisks: false, (quota, info, _, _) =>
            Task.FromResult(QuotaRules.CountsCompute(info, quota.CountsRunningOnly) && count > info.VCpus
                ? new QuotaAmounts(Vcpus: (ulong)(count - Math.Max(info.VCpus, 0)))
                : QuotaAmounts.None), cancellationToken);

    public Task EnsureMemoryAsync(VmKey vm, ulong bytes, CancellationToken cancellationToken = default) =>
        EnsureForVmAsync(vm, involvesDisks: false, (quota, info, _, _) =>
            Task.FromResult(QuotaRules.CountsCompute(info, quota.CountsRunningOnly) && bytes > info.MemoryBytes
                ? new QuotaAmounts(MemoryBytes: bytes - info.MemoryBytes)
                : QuotaAmounts.None), cancellationToken);

    /// <summary>
    /// An edited definition is checked for its vCPUs and memory, and for the pool volumes its disks name that the team
    /// does not count yet (a disk added in the XML takes storage as an attached one does).
    /// </summary>
    public Task EnsureXmlAsync(VmKey vm, string xml, CancellationToken cancellationToken = default)
    {
        var (vcpus, memory) = DomainXmlAllocation.Read(xml);
        var disks = DomainXmlAllocation.Disks(xml);
        return EnsureForVmAsync(vm, involvesDisks: disks.Count > 0, async (quota, info, use, scan) =>
        {
            var compute = QuotaRules.CountsCompute(info, quota.CountsRunningOnly);
            return new QuotaAmounts(
                Vcpus: compute && vcpus > info.VCpus ? (ulong)(vcpus.Value - Math.Max(info.VCpus, 0)) : 0,
                MemoryBytes: compute && memory > info.MemoryBytes ? memory.Value - info.MemoryBytes : 0,
                DiskBytes: quota.MaxDiskGib is null ? 0 : await new DiskRequest(vm.HostId, use, scan).OfAsync(disks, cancellationToken));
        }, cancellationToken);
    }

    public Task EnsureAttachDiskAsync(VmKey vm, DiskSpec disk, CancellationToken cancellationToken = default) =>
        EnsureForVmAsync(vm, involvesDisks: true, async (quota, _, use, scan) =>
            quota.MaxDiskGib is null ? QuotaAmounts.None
                : new QuotaAmounts(DiskBytes: await new DiskRequest(vm.HostId, use, scan).OfAsync(disk, cancellationToken)), cancellationToken);

    /// <summary>Growing a volume adds the growth to the quota of every team whose VMs use it.</summary>
    public async Task EnsureResizeAsync(Guid hostId, string pool, string name, ulong newCapacityBytes, CancellationToken cancellationToken = default)
    {
        var volume = await usage.NewScan().FindAsync(hostId, new VolumeRef(pool, name), cancellationToken);
        if (volume is null || IsoImages.Is(volume.Name, volume.Format) || newCapacityBytes <= volume.CapacityBytes)
            return;
        var teams = new HashSet<Guid>();
        foreach (var user in volume.UsedBy)
            if (await ownership.GetTeamAsync(new VmKey(hostId, user.VmUuid), cancellationToken) is { } team)
                teams.Add(team);
        foreach (var team in teams)
            await EnsureAsync(team, involvesDisks: true, (_, _, _) => Task.FromResult(new QuotaAmounts(DiskBytes: newCapacityBytes - volume.CapacityBytes)), cancellationToken);
    }

    private async Task EnsureForVmAsync(VmKey vm, bool involvesDisks, Func<TeamQuota, VmInfo, TeamUse, VolumeScan, Task<QuotaAmounts>> request,
        CancellationToken cancellationToken)
    {
        // A VM the inventory does not show is gone: libvirt refuses the operation itself.
        if (!inventory.Current.Vms.TryGetValue(vm, out var info) || await ownership.GetTeamAsync(vm, cancellationToken) is not { } team)
            return;
        await EnsureAsync(team, involvesDisks, (quota, use, scan) => request(quota, info, use, scan), cancellationToken);
    }

    private async Task EnsureAsync(Guid team, bool involvesDisks, Func<TeamQuota, TeamUse, VolumeScan, Task<QuotaAmounts>> request,
        CancellationToken cancellationToken)
    {
        if (await usage.GetQuotaAsync(team, cancellationToken) is not { HasLimits: true } quota)
            return;
        var scan = usage.NewScan();
        var use = await usage.ReadAsync(quota, involvesDisks && quota.MaxDiskGib is not null ? scan : null, cancellationToken);
        var asked = await request(quota, use, scan);
        if (QuotaRules.Exceeded(quota, use.Amounts, asked) is [var first, ..])
            throw QuotaRules.Refusal(quota, first);
    }
}
