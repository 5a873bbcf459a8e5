using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>
/// Migrates from this process (virDomainMigrate3 with the dashboard's connection to the target, not peer to peer), so
/// any host the dashboard reaches can be a target, whatever its transport and credentials.
/// </summary>
internal sealed class VmMigrator(HostManager hosts, IInventory inventory) : IVmMigration
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task CheckAsync(VmKey vm, MigrationSpec spec, CancellationToken cancellationToken = default)
    {
        var (source, target) = Sessions(vm, spec);
        await HostCalls.CallAsync(source, new HostCall("vm.migrate.check", "Check the migration", Name(vm)), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            MigrationChecks.Check(domain, target.LiveConnection, target.Host.Name, spec);
            return true;
        }, cancellationToken);
    }

    public async Task<VmKey> MigrateAsync(VmKey vm, MigrationSpec spec, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        progress?.Report(new MigrationProgress(MigrationPhase.Checking));
        await CheckAsync(vm, spec, cancellationToken);
        var (source, target) = Sessions(vm, spec);
        if (spec.Mode == MigrationMode.Offline) await MoveDefinitionAsync(vm, spec, source, target);
        else await MigrateLiveAsync(vm, spec, source, target, progress, cancellationToken);
        source.RequestRefresh(vm.Uuid);
        target.RequestRefresh(vm.Uuid);
        progress?.Report(new MigrationProgress(MigrationPhase.Done));
        return new VmKey(target.Host.Id, vm.Uuid);
    }

    private async Task MigrateLiveAsync(
        VmKey vm, MigrationSpec spec, HostSession source, HostSession target, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var flags = MigrateFlags.Live | MigrateFlags.PersistDestination | MigrateFlags.AbortOnError
            | (spec.KeepOnSource ? MigrateFlags.None : MigrateFlags.UndefineSource)
            | (spec.CopyStorage ? MigrateFlags.NonSharedDisk : MigrateFlags.None);
        var parameters = new MigrationParameters(MigrationUri.For(target.Host.Uri, spec.MigrationAddress), spec.BandwidthMiBps);
        var call = new HostCall("vm.migrate.live", $"Migrate {Name(vm)} to host {target.Host.Name}", Name(vm));
        // The migration blocks its thread until it ends; cancelling aborts libvirt's job instead of leaving it running.
        var migrating = HostCalls.CallAsync(source, call, connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            using var migrated = domain.Migrate(target.LiveConnection, parameters, flags);
            return true;
        }, CancellationToken.None);
        var cancelled = new TaskCompletionSource();
        await using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
        while (!migrating.IsCompleted)
        {
            await Task.WhenAny(migrating, cancelled.Task, Task.Delay(PollInterval, CancellationToken.None));
            if (migrating.IsCompleted) break;
            if (cancellationToken.IsCancellationRequested) await TryAbortAsync(source, vm);
            else if (await JobProgressAsync(source, vm) is { } now) progress?.Report(now);
        }
        try
        {
            await migrating;
        }
        catch (HypervisorException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The migration of {Name(vm)} was cancelled; it stays on host {source.Host.Name}.", e, cancellationToken);
        }
        catch (HypervisorException e) when (e.InnerException is LibvirtException { ErrorCode: ErrorCode.CpuIncompatible })
        {
            throw new HypervisorException($"Host {target.Host.Name} cannot run {Name(vm)}: its CPU lacks what the VM's CPU needs.", e.LibvirtMessage, e)
            {
                Kind = HypervisorErrorKind.MigrationCpuIncompatible,
                Arguments = [Name(vm), target.Host.Name],
            };
        }
    }

    /// <summary>Offline: the inactive definition is defined on the target, then (unless kept) undefined on the source.</summary>
    private async Task MoveDefinitionAsync(VmKey vm, MigrationSpec spec, HostSession source, HostSession target)
    {
        var name = Name(vm);
        var xml = await HostCalls.CallAsync(source, new HostCall("vm.migrate.read", $"Read the definition of {name}", name), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return domain.GetXmlDescription(DomainXmlFlags.Inactive | DomainXmlFlags.Secure);
        }, CancellationToken.None);
        await HostCalls.CallAsync(target, new HostCall("vm.migrate.define", $"Define {name} on host {target.Host.Name}", name), connection =>
        {
            using var defined = connection.DefineDomain(xml);
            return true;
        }, CancellationToken.None);
        if (spec.KeepOnSource) return;
        try
        {
            await HostCalls.CallAsync(source, new HostCall("vm.migrate.undefine", $"Remove {name} from host {source.Host.Name}", name), connection =>
            {
                using var domain = connection.LookupDomainByUuid(vm.Uuid);
                domain.Undefine(UndefineFlags.KeepNvram);
                return true;
            }, CancellationToken.None);
        }
        catch (HypervisorException)
        {
            // Two definitions would run the same disks twice: take the new one back, then say why it failed.
            await HostCalls.CallAsync(target, new HostCall("vm.migrate.rollback", $"Remove {name} from host {target.Host.Name} again", name), connection =>
            {
                using var defined = connection.LookupDomainByUuid(vm.Uuid);
                defined.Undefine(UndefineFlags.KeepNvram);
                return true;
            }, CancellationToken.None);
            throw;
        }
    }

    private static async Task<MigrationProgress?> JobProgressAsync(HostSession source, VmKey vm)
    {
        try
        {
            var stats = await source.CallAsync(connection =>
            {
                using var domain = connection.LookupDomainByUuid(vm.Uuid);
                return domain.GetJobStats();
            }, CancellationToken.None);
            if (stats.Type is not (DomainJobType.Bounded or DomainJobType.Unbounded)) return null;
            return new MigrationProgress(MigrationPhase.Transferring,
                stats.Get("data_processed") ?? 0, stats.Get("data_remaining") ?? 0, stats.Get("data_total") ?? 0, stats.Get("downtime"));
        }
        catch (Exception e) when (e is LibvirtException or HypervisorException or ObjectDisposedException)
        {
            return null; // the job ended between two polls; the migration's own result says how
        }
    }

    private static async Task TryAbortAsync(HostSession source, VmKey vm)
    {
        try
        {
            await source.CallAsync(connection =>
            {
                using var domain = connection.LookupDomainByUuid(vm.Uuid);
                domain.AbortJob();
                return true;
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is LibvirtException or HypervisorException or ObjectDisposedException)
        {
            // no job yet (or any more): tried again at the next poll while the migration runs
        }
    }

    private (HostSession Source, HostSession Target) Sessions(VmKey vm, MigrationSpec spec)
    {
        if (spec.TargetHostId == vm.HostId)
            throw HypervisorException.Because(HypervisorErrorKind.MigrationSameHost, "The VM is already on that host: pick another.");
        var source = HostCalls.Session(hosts, vm.HostId);
        var target = HostCalls.Session(hosts, spec.TargetHostId);
        if (!inventory.Current.Hosts.TryGetValue(target.Host.Id, out var info) || info.Status != HostStatus.Online)
            throw HypervisorException.Because(HypervisorErrorKind.MigrationTargetOffline,
                $"Host {target.Host.Name} is offline: a VM can only move to an online host.", target.Host.Name);
        return (source, target);
    }

    private string Name(VmKey vm) => inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : vm.Uuid.ToString();
}
