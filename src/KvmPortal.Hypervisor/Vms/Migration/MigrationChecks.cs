using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>The refusals before a migration starts, on the two hosts' connections.</summary>
internal static class MigrationChecks
{
    public static void Check(Domain domain, Connection target, string targetHostName, MigrationMode mode)
    {
        var name = domain.Name;
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
        if (MigrationDisks.Missing(target, MigrationDisks.Read(xml)) is [var disk, ..])
            throw HypervisorException.Because(HypervisorErrorKind.MigrationDiskMissing,
                $"Disk {disk.Target} ({disk.Source}) is not in any storage pool of host {targetHostName}: the VM's disks must be on storage both hosts share.",
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
