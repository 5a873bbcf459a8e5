namespace KvmPortal.Libvirt;

/// <summary>virNodeInfo: the host's CPU and memory.</summary>
public sealed record NodeInfo(
    string Model, ulong MemoryKiB, uint Cpus, uint MhZ, uint Nodes, uint Sockets, uint Cores, uint Threads);

/// <summary>virDomainInfo.</summary>
public sealed record DomainInfo(DomainState State, ulong MaxMemoryKiB, ulong MemoryKiB, int VirtCpus, ulong CpuTimeNs);

/// <summary>
/// One domain's entry of virConnectGetAllDomainStats. Values are int, uint, long, ulong, double, bool or string
/// according to the typed parameter's type; keys are libvirt's, e.g. "state.state", "cpu.time".
/// </summary>
public sealed record DomainStatsRecord(Guid Uuid, string Name, IReadOnlyDictionary<string, object> Values);

/// <summary>A VIR_DOMAIN_EVENT_ID_LIFECYCLE event. Detail is the per-type virDomainEvent*DetailType value.</summary>
public sealed record DomainLifecycleEvent(Guid Uuid, string Name, DomainEventType Type, int Detail);

/// <summary>The connection to libvirt was closed, e.g. the daemon went away.</summary>
public sealed record ConnectionClosed(CloseReason Reason);
