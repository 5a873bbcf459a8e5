using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Components.Pages.Vms;

/// <summary>
/// The migrate dialog's state: the target (online hosts other than the VM's), live or offline (what the VM's state
/// allows), keep on the source, an optional migration address, and the running migration's progress and cancel.
/// <see cref="MigrateAsync"/> returns the VM on its new host or leaves an error to show.
/// </summary>
public sealed class MigrateVmViewModel(IVmMigration migration, VmInfo vm, IReadOnlyList<HostInfo> targets)
{
    private CancellationTokenSource? running;

    public IReadOnlyList<HostInfo> Targets { get; } = targets;
    public Guid? TargetHostId { get; set; } = targets.Count > 0 ? targets[0].Id : null;
    public MigrationMode Mode { get; set; } = CanRunLive(vm) ? MigrationMode.Live : MigrationMode.Offline;
    public bool KeepOnSource { get; set; }

    /// <summary>Copy the writable disks (live only); otherwise they must be on shared storage.</summary>
    public bool CopyStorage { get; set; }
    public string? MigrationAddress { get; set; }

    public MigrationProgress? Progress { get; private set; }
    public bool Busy { get; private set; }
    public string? Error { get; private set; }
    public bool Cancelled { get; private set; }

    public required Func<HypervisorException, string> ErrorText { get; init; }
    public required string AccessDeniedText { get; init; }

    public bool LiveAllowed => CanRunLive(vm);
    public bool OfflineAllowed => vm.State == VmState.ShutOff;
    public bool CanStart => !Busy && TargetHostId is not null && (Mode == MigrationMode.Live ? LiveAllowed : OfflineAllowed);

    /// <summary>0 to 100 for the progress bar; null while libvirt has not said how much there is.</summary>
    public double? Percent => Progress?.Fraction is { } f ? 100 * f : null;

    /// <summary>Online hosts other than the VM's, by name: where it can go.</summary>
    public static IReadOnlyList<HostInfo> TargetsFor(InventorySnapshot snapshot, VmInfo vm) =>
        [.. snapshot.Hosts.Values.Where(h => h.Status == HostStatus.Online && h.Id != vm.HostId).OrderBy(h => h.Name, StringComparer.CurrentCulture)];

    /// <summary>Migrates; <paramref name="changed"/> is called on each progress report. Null when it failed or was cancelled.</summary>
    public async Task<VmKey?> MigrateAsync(Action changed)
    {
        if (!CanStart) return null;
        Error = null;
        Cancelled = false;
        Busy = true;
        using var cancel = new CancellationTokenSource();
        running = cancel;
        try
        {
            var spec = new MigrationSpec(TargetHostId!.Value, Mode, KeepOnSource,
                string.IsNullOrWhiteSpace(MigrationAddress) ? null : MigrationAddress.Trim(),
                CopyStorage: Mode == MigrationMode.Live && CopyStorage);
            var progress = new Reporter(report =>
            {
                Progress = report;
                changed();
            });
            return await migration.MigrateAsync(vm.Key, spec, progress, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Cancelled = true;
            return null;
        }
        catch (HypervisorException e)
        {
            Error = ErrorText(e);
            return null;
        }
        catch (AccessDeniedException)
        {
            Error = AccessDeniedText;
            return null;
        }
        finally
        {
            running = null;
            Busy = false;
            Progress = null;
        }
    }

    /// <summary>Aborts the running migration (libvirt's job); the VM stays where it was.</summary>
    public void Cancel() => running?.Cancel();

    private static bool CanRunLive(VmInfo vm) => vm.State is VmState.Running or VmState.Paused;

    /// <summary>Reports at once, on the migration's thread (Progress&lt;T&gt; would need a synchronization context).</summary>
    private sealed class Reporter(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
