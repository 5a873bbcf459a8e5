namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>Live: a running (or paused) VM moves with its memory. Offline: a shut-off VM's definition moves.</summary>
public enum MigrationMode { Live, Offline }

/// <param name="TargetHostId">The host the VM goes to: another host of the dashboard, online.</param>
/// <param name="Mode">Live for a running VM, offline for a shut-off one.</param>
/// <param name="KeepOnSource">Keep the VM's (shut-off) definition on the source host too.</param>
/// <param name="MigrationAddress">
/// The target's address for the migration data (a host name or IP the source host can reach); null takes the host
/// name of the target's libvirt URI, or, for a local URI, lets the target say its own name.
/// </param>
/// <param name="BandwidthMiBps">The most a live migration may send per second, null for no limit.</param>
/// <param name="CopyStorage">
/// Live only: copy the writable disks to the target (libvirt creates each missing one in the target's pool for its
/// folder) instead of expecting them on shared storage.
/// </param>
public sealed record MigrationSpec(
    Guid TargetHostId,
    MigrationMode Mode,
    bool KeepOnSource = false,
    string? MigrationAddress = null,
    ulong? BandwidthMiBps = null,
    bool CopyStorage = false);

/// <summary>Where a migration is.</summary>
public enum MigrationPhase { Checking, Transferring, Done }

/// <summary>
/// How far a migration is, from libvirt's job statistics: bytes sent, still to send and the total (which grows
/// while the guest dirties memory), and the downtime libvirt expects when it switches over (null until it says).
/// Offline migrations send no data and report only their phases.
/// </summary>
public readonly record struct MigrationProgress(MigrationPhase Phase, ulong ProcessedBytes = 0, ulong RemainingBytes = 0, ulong TotalBytes = 0,
    ulong? ExpectedDowntimeMs = null)
{
    /// <summary>0..1 for the progress bar; null while the total is unknown.</summary>
    public double? Fraction => Phase == MigrationPhase.Done ? 1 : TotalBytes == 0 ? null : Math.Min(1, (double)ProcessedBytes / TotalBytes);
}
