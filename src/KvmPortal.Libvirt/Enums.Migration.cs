namespace KvmPortal.Libvirt;

/// <summary>virDomainMigrateFlags (the ones this binding's callers use).</summary>
[Flags]
public enum MigrateFlags : uint
{
    None = 0,
    Live = 1 << 0,
    PeerToPeer = 1 << 1,
    PersistDestination = 1 << 3,
    UndefineSource = 1 << 4,
    Paused = 1 << 5,
    NonSharedDisk = 1 << 6,
    Offline = 1 << 10,
    AbortOnError = 1 << 12,
}

