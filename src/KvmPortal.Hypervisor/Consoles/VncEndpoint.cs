namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// Where a VM's VNC server listens, as the dashboard's machine can reach it: a TCP address and port, or a
/// unix socket on this machine. <see cref="Password"/> is the graphics password, for the proxy's own VNC
/// authentication; it never goes to the browser.
/// </summary>
public sealed record VncEndpoint(string? Address, int Port, string? SocketPath, string? Password)
{
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>When set, <see cref="Address"/>:<see cref="Port"/> is on the host's loopback, reached through this SSH tunnel.</summary>
    public SshTunnel? Tunnel { get; init; }
}
