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

/// <summary>virDomainJobType.</summary>
public enum DomainJobType
{
    None = 0,
    Bounded = 1,
    Unbounded = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}
