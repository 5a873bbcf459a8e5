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

/// <summary>Why a host is offline, so the UI can say it in the user's language.</summary>
public enum HostOfflineReason
{
    /// <summary>libvirt refused or failed; <see cref="HostInfo.StatusMessage"/> is libvirt's own text.</summary>
    Libvirt,
    /// <summary>Opening the connection took longer than the timeout (argument: seconds).</summary>
    ConnectTimeout,
    /// <summary>The host closed the connection (libvirtd stopped or restarted).</summary>
    ClosedByHost,
    /// <summary>The host stopped answering keepalive probes.</summary>
    KeepaliveTimeout,
    /// <summary>The connection failed (a network error).</summary>
    ConnectionFailed,
    /// <summary>A fault of ours; <see cref="HostInfo.StatusMessage"/> has the details.</summary>
    Unexpected,
}

/// <summary>
/// The live state of one host. While offline, <see cref="OfflineReason"/> says why and
/// <see cref="StatusMessage"/> says it in English (or is libvirt's text).
/// </summary>
public sealed record HostInfo(
    Guid Id,
    string Name,
    string Uri,
    HostStatus Status,
    string? StatusMessage,
    DateTimeOffset StatusSince,
    HostCapabilities? Capabilities)
{
    public HostOfflineReason? OfflineReason { get; init; }

    /// <summary>Values for the reason's text, e.g. the timeout in seconds.</summary>
    public IReadOnlyList<string> OfflineArguments { get; init; } = [];

    // Records compare list properties by reference; compare the values so an unchanged host publishes nothing.
    public bool Equals(HostInfo? other) =>
        other is not null && Id == other.Id && Name == other.Name && Uri == other.Uri && Status == other.Status
        && StatusMessage == other.StatusMessage && StatusSince == other.StatusSince && Capabilities == other.Capabilities
        && OfflineReason == other.OfflineReason && OfflineArguments.SequenceEqual(other.OfflineArguments);

    public override int GetHashCode() => HashCode.Combine(Id, Status, StatusMessage, StatusSince, OfflineReason);
}
