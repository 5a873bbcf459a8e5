using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Sdk;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// Debian's sshd on 127.0.0.1 at a free port, started by the test with a configuration of its own: a host key and
/// a client key generated here, root login by that key only (no password, no PAM). The remote side of qemu+ssh runs
/// libvirt's virt-ssh-helper, which reaches this machine's qemu:///system. Stopped (and its folder removed) on dispose.
/// </summary>
public sealed class LoopbackSshd : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _root = Directory.CreateTempSubdirectory("kvmportal-test-sshd-").FullName;
    private readonly Process _daemon;

    public LoopbackSshd()
    {
        if (!File.Exists("/usr/sbin/sshd"))
            throw new XunitException("The SSH tests need Debian's openssh-server (/usr/sbin/sshd); deploy/test.sh installs it.");
        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation folder, made by its init script otherwise
        HostKeyPublic = NewKey("host");
        ClientPublicKey = NewKey("client");
        ClientKey = File.ReadAllText(In("client"));
        File.WriteAllText(In("authorized_keys"), ClientPublicKey + "\n");
        Port = FreePort();
        File.WriteAllLines(In("sshd_config"),
        [
            "ListenAddress 127.0.0.1",
            $"Port {Port}",
            $"HostKey {In("host")}",
            $"AuthorizedKeysFile {In("authorized_keys")}",
            $"PidFile {In("sshd.pid")}",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no", // the folder is under /tmp
        ]);

        _daemon = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", In("sshd_config")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var listening = new TaskCompletionSource();
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _daemon.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            log.Enqueue(e.Data);
            if (e.Data.Contains("Server listening on", StringComparison.Ordinal)) listening.TrySetResult();
        };
        _daemon.OutputDataReceived += (_, _) => { };
        _daemon.BeginErrorReadLine();
        _daemon.BeginOutputReadLine();
        if (!listening.Task.Wait(StartTimeout))
        {
            Dispose();
            throw new XunitException($"sshd did not start listening on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s: {string.Join(" | ", log)}");
        }
    }

    public int Port { get; }

    /// <summary>The host's public key line ("ssh-ed25519 AAAA... comment").</summary>
    public string HostKeyPublic { get; }

    /// <summary>The private key (OpenSSH format, no passphrase) that may log in as root.</summary>
    public string ClientKey { get; }

    public string ClientPublicKey { get; }

    /// <summary>The known_hosts line for this server ("[127.0.0.1]:port type key").</summary>
    public string KnownHostsLine => $"[127.0.0.1]:{Port} {string.Join(' ', HostKeyPublic.Split(' ').Take(2))}";

    public string Uri => $"qemu+ssh://root@127.0.0.1:{Port}/system";

    /// <summary>A new key pair (ed25519, no passphrase) in a folder of its own; returns the private key.</summary>
    public static (string PrivateKey, string PublicKey) GenerateKey(string type = "ed25519", string passphrase = "", params string[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("kvmportal-test-key-").FullName;
        try
        {
            var file = Path.Combine(folder, "key");
            Run("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "kvmportal-test", "-f", file, .. extra]);
            return (File.ReadAllText(file), File.ReadAllText(file + ".pub").Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_daemon.HasExited)
            {
                _daemon.Kill(entireProcessTree: true);
                _daemon.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _daemon.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string In(string file) => Path.Combine(_root, file);

    private string NewKey(string name)
    {
        Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", $"kvmportal-test-{name}", "-f", In(name)]);
        return File.ReadAllText(In(name + ".pub")).Trim();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Run(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        if (!process.WaitForExit(30_000)) { process.Kill(); throw new XunitException($"{program} did not finish"); }
        if (process.ExitCode != 0) throw new XunitException($"{program} failed: {process.StandardError.ReadToEnd()}");
    }
}
