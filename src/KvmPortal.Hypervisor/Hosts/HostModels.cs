namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// A host as the dashboard knows it: a name, the libvirt URI the user entered and, optionally, the credentials to
/// reach it with. Persisted by the web app.
/// </summary>
public sealed record HostDefinition(Guid Id, string Name, string Uri)
{
    /// <summary>Stored TLS/SSH credentials; null means the environment's (/etc/pki, ~/.ssh) are used.</summary>
    public HostCredentials? Credentials { get; init; }
}

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
    /// <summary>Nothing listens at the host's address and port (argument: libvirt's text).</summary>
    ConnectionRefused,
    /// <summary>The host's TLS certificate is not signed by the CA configured for it (argument: libvirt's text).</summary>
    TlsServerNotTrusted,
    /// <summary>Our client certificate or key is unusable: not of the CA, expired, wrong purpose (argument: libvirt's text).</summary>
    TlsClientCertificateInvalid,
    /// <summary>The host closed the TLS handshake: it did not accept our client certificate (argument: libvirt's text).</summary>
    TlsRejectedByHost,
    /// <summary>The SSH host key is not in the known_hosts entries (argument: libvirt's text).</summary>
    SshHostKeyUnknown,
    /// <summary>The SSH host key differs from the known_hosts entry: possible man in the middle (argument: libvirt's text).</summary>
    SshHostKeyChanged,
    /// <summary>The host refused our SSH key or login (argument: libvirt's text).</summary>
    SshAuthRefused,
    /// <summary>The host refused the authentication (argument: libvirt's text).</summary>
    AuthRefused,
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
