namespace KvmPortal.Libvirt;

// Values are those of the libvirt 9.0 headers; the C name is given where it is not obvious.

/// <summary>virDomainState.</summary>
public enum DomainState
{
    NoState = 0,
    Running = 1,
    Blocked = 2,
    Paused = 3,
    Shutdown = 4,
    Shutoff = 5,
    Crashed = 6,
    PmSuspended = 7,
}

/// <summary>virDomainEventType: the event of a lifecycle callback.</summary>
public enum DomainEventType
{
    Defined = 0,
    Undefined = 1,
    Started = 2,
    Suspended = 3,
    Resumed = 4,
    Stopped = 5,
    Shutdown = 6,
    PmSuspended = 7,
    Crashed = 8,
}

/// <summary>virConnectCloseReason.</summary>
public enum CloseReason
{
    Error = 0,
    Eof = 1,
    Keepalive = 2,
    Client = 3,
}

/// <summary>virDomainStatsTypes: which groups virConnectGetAllDomainStats returns.</summary>
[Flags]
public enum DomainStatsTypes
{
    State = 1 << 0,
    CpuTotal = 1 << 1,
    Balloon = 1 << 2,
    Vcpu = 1 << 3,
    Interface = 1 << 4,
    Block = 1 << 5,
    Perf = 1 << 6,
    IoThread = 1 << 7,
    Memory = 1 << 8,
    DirtyRate = 1 << 9,
    Vm = 1 << 10,
}

/// <summary>virConnectGetAllDomainStatsFlags.</summary>
[Flags]
public enum GetAllDomainStatsFlags : uint
{
    None = 0,
    Active = 1 << 0,
    Inactive = 1 << 1,
    Persistent = 1 << 2,
    Transient = 1 << 3,
    Running = 1 << 4,
    Paused = 1 << 5,
    Shutoff = 1 << 6,
    Other = 1 << 7,
    NoWait = 1 << 29,
    Backing = 1 << 30,
    EnforceStats = 1u << 31,
}

/// <summary>virConnectListAllDomainsFlags.</summary>
[Flags]
public enum ListAllDomainsFlags : uint
{
    None = 0,
    Active = 1 << 0,
    Inactive = 1 << 1,
    Persistent = 1 << 2,
    Transient = 1 << 3,
    Running = 1 << 4,
    Paused = 1 << 5,
    Shutoff = 1 << 6,
    Other = 1 << 7,
    ManagedSave = 1 << 8,
    NoManagedSave = 1 << 9,
    Autostart = 1 << 10,
    NoAutostart = 1 << 11,
    HasSnapshot = 1 << 12,
    NoSnapshot = 1 << 13,
    HasCheckpoint = 1 << 14,
    NoCheckpoint = 1 << 15,
}

/// <summary>virDomainDefineFlags.</summary>
[Flags]
public enum DefineDomainFlags : uint
{
    None = 0,
    Validate = 1 << 0,
}

/// <summary>virDomainXMLFlags.</summary>
[Flags]
public enum DomainXmlFlags : uint
{
    None = 0,
    Secure = 1 << 0,
    Inactive = 1 << 1,
    UpdateCpu = 1 << 2,
    Migratable = 1 << 3,
}

/// <summary>virDomainCreateFlags (VIR_DOMAIN_START_*).</summary>
[Flags]
public enum DomainCreateFlags : uint
{
    None = 0,
    StartPaused = 1 << 0,
    Autodestroy = 1 << 1,
    BypassCache = 1 << 2,
    ForceBoot = 1 << 3,
    Validate = 1 << 4,
    ResetNvram = 1 << 5,
}

/// <summary>virDomainUndefineFlagsValues.</summary>
[Flags]
public enum UndefineFlags : uint
{
    None = 0,
    ManagedSave = 1 << 0,
    SnapshotsMetadata = 1 << 1,
    Nvram = 1 << 2,
    KeepNvram = 1 << 3,
    CheckpointsMetadata = 1 << 4,
    Tpm = 1 << 5,
    KeepTpm = 1 << 6,
}
