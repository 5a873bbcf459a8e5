using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>The refusals before a migration starts, on the two hosts' connections.</summary>
internal static class MigrationChecks
{
    public static void Check(Domain domain, Connection target, string targetHostName, MigrationSpec spec)
    {
        var mode = spec.Mode;
        var name = domain.Name;
        if (mode == MigrationMode.Offline && spec.CopyStorage)
            throw HypervisorException.Because(HypervisorErrorKind.MigrationCopyNeedsLive,
                "Disks are copied only by a live migration; an offline one needs them on shared storage.");
        var (state, _) = domain.GetState();
        if (mode == MigrationMode.Live && state is not (DomainState.Running or DomainState.Paused))
            throw HypervisorException.Because(HypervisorErrorKind.MigrationLiveNeedsRunning,
                $"{name} is not running: a live migration needs a running VM (migrate it offline instead).", name);
        if (mode == MigrationMode.Offline && state is not (DomainState.Shutoff or DomainState.NoState))
            throw HypervisorException.Because(HypervisorErrorKind.MigrationOfflineNeedsShutOff,
                $"{name} is running: an offline migration needs a shut-off VM (migrate it live, or shut it down first).", name);
        if (mode == MigrationMode.Offline && !domain.IsPersistent)
            throw HypervisorException.Because(HypervisorErrorKind.InvalidState, $"{name} has no persistent definition to move.");

        if (Exists(() => target.LookupDomainByName(name)) || Exists(() => target.LookupDomainByUuid(domain.Uuid)))
            throw HypervisorException.Because(HypervisorErrorKind.MigrationVmExists,
                $"Host {targetHostName} already has a VM named {name} or with its UUID.", name, targetHostName);

        var xml = domain.GetXmlDescription(mode == MigrationMode.Live ? DomainXmlFlags.None : DomainXmlFlags.Inactive);
        if (MigrationDisks.Missing(target, MigrationDisks.Read(xml), spec.CopyStorage) is [var disk, ..])
            throw spec.CopyStorage
                ? HypervisorException.Because(HypervisorErrorKind.MigrationDiskNoPool,
                    $"Disk {disk.Target} ({disk.Source}) cannot be copied: host {targetHostName} has no storage pool for its folder (a read-only disk must be there already).",
                    disk.Target, disk.Source, targetHostName)
                : HypervisorException.Because(HypervisorErrorKind.MigrationDiskMissing,
                    $"Disk {disk.Target} ({disk.Source}) is not in any storage pool of host {targetHostName}: the VM's disks must be on storage both hosts share, or be copied.",
                    disk.Target, disk.Source, targetHostName);
    }

    private static bool Exists(Func<Domain> lookup)
    {
        try
        {
            using var found = lookup();
            return true;
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
        {
            return false;
        }
    }
}
