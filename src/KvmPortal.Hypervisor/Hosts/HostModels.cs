namespace KvmPortal.Hypervisor.Hosts;

/// <summary>A host as the dashboard knows it: a name and a libvirt URI. Persisted by the web app.</summary>
public sealed record HostDefinition(Guid Id, string Name, string Uri);

public enum HostStatus { Connecting, Online, Offline }

/// <summary>What a host can do, read once per connection.</summary>
public sealed record HostCapabilities(
    string Hostname,
    string HypervisorType,
    string CpuModel,
    string Arch,
    int Cpus,
    int Sockets,
    int Cores,
    int Threads,
    int MhZ,
    ulong MemoryBytes,
    bool KvmAvailable,
    string LibvirtVersion,
    string HypervisorVersion);

/// <summary>The live state of one host.</summary>
public sealed record HostInfo(
    Guid Id,
    string Name,
    string Uri,
    HostStatus Status,
    string? StatusMessage,
    DateTimeOffset StatusSince,
    HostCapabilities? Capabilities);
