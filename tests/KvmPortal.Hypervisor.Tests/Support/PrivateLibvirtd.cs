using System.Diagnostics;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// A libvirtd of its own, which a test may stop and restart without touching the shared system daemon: a session
/// daemon of the unprivileged user "nobody" in a private runtime directory, serving the test driver
/// (<see cref="TestDriverUri"/>). The test runs as root (deploy/test.sh does), so it may both start the daemon as
/// another user and use its socket.
/// </summary>
public sealed class PrivateLibvirtd : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kvmportal-test-libvirtd-").FullName;
    private Process? _daemon;

    public PrivateLibvirtd()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("The private libvirtd is started as user nobody, which needs root: run the tests as deploy/test.sh does.");
        Run("chown", "nobody", _root);
        Start();
    }

    private string Socket => Path.Combine(_root, "libvirt", "libvirt-sock");

    /// <summary>The daemon's test driver: a fresh "test" domain, running, each time the daemon starts.</summary>
    public string TestDriverUri => $"test+unix:///default?socket={Socket}";

    public void Start()
    {
        var environment = $"XDG_RUNTIME_DIR={_root} HOME={_root} XDG_CONFIG_HOME={_root}/config XDG_CACHE_HOME={_root}/cache";
        _daemon = Process.Start(new ProcessStartInfo("su", ["nobody", "-s", "/bin/sh", "-c", $"exec env {environment} libvirtd --timeout 0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _daemon.ErrorDataReceived += (_, _) => { };
        _daemon.OutputDataReceived += (_, _) => { };
        _daemon.BeginErrorReadLine();
        _daemon.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Socket))
        {
            if (_daemon.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The private libvirtd did not start (socket {Socket}).");
            Thread.Sleep(50);
        }
    }

    /// <summary>Stops the daemon as a package upgrade or an administrator would (SIGTERM), and waits until it is gone.</summary>
    public void Stop()
    {
        if (_daemon is null) return;
        var pidFile = Path.Combine(_root, "libvirt", "libvirtd.pid");
        if (File.Exists(pidFile)) Run("kill", "-TERM", File.ReadAllText(pidFile).Trim());
        _daemon.WaitForExit(TimeSpan.FromSeconds(30));
        _daemon.Dispose();
        _daemon = null;
        File.Delete(Socket); // a daemon killed hard would leave it behind
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // the daemon's last files; the temporary directory is cleaned with the machine
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}).");
    }
}
