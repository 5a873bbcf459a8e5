using System.Diagnostics;
using System.Text;
using KvmPortal.Hypervisor.Hosts;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// How to reach a port on an SSH-connected host's loopback: OpenSSH's <c>ssh -W address:port</c>, whose standard
/// input and output are the connection. With stored credentials it uses exactly the host's key and known_hosts
/// (and no ssh configuration file); without, the dashboard user's ~/.ssh. Never asks anything (BatchMode) and
/// never accepts an unknown host key (StrictHostKeyChecking).
/// </summary>
public sealed record SshTunnel(string Host, int? Port, string? User, string? KeyFile, string? KnownHostsFile)
{
    private static readonly string[] SshTransports = ["ssh", "libssh", "libssh2"];

    /// <summary>The arguments of <c>ssh</c> for a tunnel to <paramref name="address"/>:<paramref name="port"/> on the host.</summary>
    public IReadOnlyList<string> Arguments(string address, int port)
    {
        var arguments = new List<string>();
        if (KeyFile is not null)
            arguments.AddRange(["-F", "none", "-i", KeyFile, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"]);
        if (KnownHostsFile is not null)
            arguments.AddRange(["-o", $"UserKnownHostsFile={KnownHostsFile}", "-o", "GlobalKnownHostsFile=/dev/null"]);
        arguments.AddRange(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-T",
            "-W", address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}"]);
        if (Port is { } sshPort)
            arguments.AddRange(["-p", sshPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (User is not null)
            arguments.AddRange(["-l", User]);
        arguments.AddRange(["--", Host]);
        return arguments;
    }

    /// <summary>Starts the tunnel; the stream ends the ssh process when disposed.</summary>
    public Stream Open(string address, int port) => new SshTunnelStream(this, Arguments(address, port));

    /// <summary>
    /// The tunnel for a host reached over SSH, or null: not an SSH host, or its stored key is not written yet.
    /// </summary>
    internal static SshTunnel? For(HostDefinition host, HostCredentialFiles? files)
    {
        if (!Uri.TryCreate(host.Uri, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return null;
        var scheme = uri.Scheme.Split('+', 2);
        if (scheme.Length < 2 || !SshTransports.Contains(scheme[1]))
            return null;
        var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]) : null;
        int? port = uri.IsDefaultPort || uri.Port <= 0 ? null : uri.Port;
        if (host.Credentials?.Ssh is null)
            return new SshTunnel(uri.Host, port, user, null, null);
        return files is null
            ? null
            : new SshTunnel(uri.Host, port, user, Path.Combine(files.Folder, HostCredentialFiles.SshKeyFile),
                Path.Combine(files.Folder, HostCredentialFiles.KnownHostsFile));
    }
}

/// <summary>The connection through <c>ssh -W</c>: its standard output read, its standard input written.</summary>
internal sealed class SshTunnelStream : DuplexStream
{
    private readonly Process _ssh;
    private readonly Stream _in;
    private readonly Stream _out;
    private readonly StringBuilder _errors = new();
    private readonly string _host;
    private bool _received;
    private int _disposed;

    public SshTunnelStream(SshTunnel tunnel, IReadOnlyList<string> arguments)
    {
        _host = tunnel.Host;
        var start = new ProcessStartInfo("ssh", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _ssh = Process.Start(start) ?? throw new IOException("ssh could not be started.");
        _ssh.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
                lock (_errors) _errors.AppendLine(line);
        };
        _ssh.BeginErrorReadLine();
        _in = _ssh.StandardOutput.BaseStream;
        _out = _ssh.StandardInput.BaseStream;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A pipe read does not end on cancellation by itself: ending ssh ends it.
        await using var _ = cancellationToken.CanBeCanceled ? cancellationToken.Register(Kill) : default;
        var read = await _in.ReadAsync(buffer, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (read == 0 && !_received)
            throw new IOException($"The SSH tunnel to {_host} closed before the console answered: {Errors()}");
        _received |= read > 0;
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _out.WriteAsync(buffer, cancellationToken);
        await _out.FlushAsync(cancellationToken);
    }

    public override void Flush() => _out.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _out.FlushAsync(cancellationToken);

    private string Errors()
    {
        _ssh.WaitForExit(2000); // lets the last stderr lines arrive
        lock (_errors) return _errors.Length > 0 ? _errors.ToString().Trim() : $"ssh exited with code {(_ssh.HasExited ? _ssh.ExitCode : -1)}";
    }

    private void Kill()
    {
        try
        {
            if (!_ssh.HasExited) _ssh.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Kill();
            _ssh.WaitForExit(5000);
            _ssh.Dispose();
        }
        base.Dispose(disposing);
    }
}
