using System.Text;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// Hosts reached with stored credentials (PEM and OpenSSH text, as the web app keeps them), for real: the second
/// libvirt host over qemu+tls, and this machine's libvirtd through a loopback sshd over qemu+ssh.
/// </summary>
[Collection(SystemDaemonCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostCredentialsTests
{
    private static string Host2Pki(string file) =>
        File.ReadAllText(Path.Combine(Environment.GetEnvironmentVariable("KVMPORTAL_HOST2_DIR") is { Length: > 0 } d ? d : "/var/lib/kvmportal-host2",
            "pki", "client", file));

    private static TlsCredentials Host2Tls() => new(Host2Pki("cacert.pem"), Host2Pki("clientcert.pem"), Host2Pki("clientkey.pem"));

    private static HostDefinition Define(string uri, HostCredentials credentials) =>
        new(Guid.NewGuid(), "credentials-" + Guid.NewGuid().ToString("N")[..6], uri) { Credentials = credentials };

    [Fact]
    public async Task Over_tls_with_pem_contents_the_host_comes_online_and_lists_its_domains_and_the_files_go_with_the_host()
    {
        var credentialsRoot = Path.Combine(Directory.CreateTempSubdirectory("kvmportal-test-creds-").FullName, "hosts");
        await using var hypervisor = new HypervisorHarness(new HypervisorOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(10), ReconnectMinDelay = TimeSpan.FromMilliseconds(200), CredentialsDirectory = credentialsRoot,
        });
        var host = Define("qemu+tls://10.251.0.2/system", new HostCredentials(Host2Tls(), null));
        hypervisor.Hosts.Attach(host);

        var online = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        Assert.Equal("kvmportal-host2", online.Hosts[host.Id].Capabilities?.Hostname);
        Assert.Equal("qemu+tls://10.251.0.2/system", online.Hosts[host.Id].Uri); // the URI shown stays the user's
        var names = await hypervisor.Hosts.Find(host.Id)!.CallAsync(c => c.ListAllDomains().Select(d => { using (d) return d.Name; }).ToList(), default);
        using (var direct = SecondHost.Open())
            Assert.Equal(direct.ListAllDomains().Select(d => { using (d) return d.Name; }).Order(), names.Order());

        var folder = Path.Combine(credentialsRoot, host.Id.ToString("N"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(credentialsRoot));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var file in new[] { "cacert.pem", "clientcert.pem", "clientkey.pem" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, file)));

        await hypervisor.Hosts.DetachAsync(host.Id);
        Assert.False(Directory.Exists(folder));
        Directory.Delete(Path.GetDirectoryName(credentialsRoot)!, recursive: true);
    }

    [Fact]
    public async Task Over_tls_a_ca_that_did_not_sign_the_hosts_certificate_shows_the_host_as_not_trusted()
    {
        await using var hypervisor = new HypervisorHarness();
        var other = TestPki.NewCaWithClient("another CA");
        var host = Define("qemu+tls://10.251.0.2/system", new HostCredentials(other, null));
        hypervisor.Hosts.Attach(host);

        var offline = (await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline)).Hosts[host.Id];

        Assert.Equal(HostOfflineReason.TlsServerNotTrusted, offline.OfflineReason);
        Assert.Contains("certificate", offline.StatusMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Over_tls_a_client_certificate_the_host_does_not_accept_shows_the_host_rejected_it()
    {
        await using var hypervisor = new HypervisorHarness();
        // Our CA bundle trusts the host (its CA is in it) and our own certificate (another CA), but the host
        // accepts only clients of its own CA.
        var stranger = TestPki.NewCaWithClient("stranger CA");
        var host = Define("qemu+tls://10.251.0.2/system",
            new HostCredentials(stranger with { CaCertificatePem = Host2Pki("cacert.pem") + stranger.CaCertificatePem }, null));
        hypervisor.Hosts.Attach(host);

        var offline = (await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline)).Hosts[host.Id];

        Assert.Equal(HostOfflineReason.TlsRejectedByHost, offline.OfflineReason);
    }

    [Fact]
    public async Task Over_ssh_with_the_stored_key_and_known_hosts_the_host_comes_online()
    {
        using var sshd = new LoopbackSshd();
        await using var hypervisor = new HypervisorHarness();
        var host = Define(sshd.Uri, new HostCredentials(null, new SshCredentials(sshd.ClientKey, sshd.KnownHostsLine)));
        hypervisor.Hosts.Attach(host);

        var online = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Online);

        Assert.Equal(sshd.Uri, online.Hosts[host.Id].Uri);
        var demo = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") ?? "kvmportal-demo";
        await hypervisor.Live.WaitForVmAsync(host, demo, _ => true, "the demo VM listed over ssh");
    }

    [Fact]
    public async Task Over_ssh_a_host_key_not_in_known_hosts_is_refused_without_asking()
    {
        using var sshd = new LoopbackSshd();
        await using var hypervisor = new HypervisorHarness();
        // known_hosts knows another machine only.
        var otherHost = LoopbackSshd.GenerateKey().PublicKey.Split(' ');
        var host = Define(sshd.Uri, new HostCredentials(null, new SshCredentials(sshd.ClientKey, $"elsewhere.example {otherHost[0]} {otherHost[1]}")));
        hypervisor.Hosts.Attach(host);

        var offline = (await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline)).Hosts[host.Id];

        Assert.Equal(HostOfflineReason.SshHostKeyUnknown, offline.OfflineReason);
    }

    [Fact]
    public async Task Over_ssh_a_host_key_different_from_the_known_one_is_refused_as_changed()
    {
        using var sshd = new LoopbackSshd();
        await using var hypervisor = new HypervisorHarness();
        var impostor = LoopbackSshd.GenerateKey().PublicKey.Split(' ');
        var host = Define(sshd.Uri, new HostCredentials(null, new SshCredentials(sshd.ClientKey, $"[127.0.0.1]:{sshd.Port} {impostor[0]} {impostor[1]}")));
        hypervisor.Hosts.Attach(host);

        var offline = (await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline)).Hosts[host.Id];

        Assert.Equal(HostOfflineReason.SshHostKeyChanged, offline.OfflineReason);
    }

    [Fact]
    public async Task Over_ssh_a_key_the_host_does_not_authorise_is_refused_as_such()
    {
        using var sshd = new LoopbackSshd();
        await using var hypervisor = new HypervisorHarness();
        var host = Define(sshd.Uri, new HostCredentials(null, new SshCredentials(LoopbackSshd.GenerateKey().PrivateKey, sshd.KnownHostsLine)));
        hypervisor.Hosts.Attach(host);

        var offline = (await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline)).Hosts[host.Id];

        Assert.Equal(HostOfflineReason.SshAuthRefused, offline.OfflineReason);
        Assert.Contains("authenticate", offline.StatusMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_console_of_a_vm_whose_vnc_listens_on_the_ssh_hosts_loopback_is_reached_through_an_ssh_tunnel()
    {
        using var sshd = new LoopbackSshd();
        await using var hypervisor = new HypervisorHarness();
        var host = Define(sshd.Uri, new HostCredentials(null, new SshCredentials(sshd.ClientKey, sshd.KnownHostsLine)));
        hypervisor.Hosts.Attach(host);
        var demo = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") ?? "kvmportal-demo";
        var vm = (await hypervisor.Live.WaitForVmAsync(host, demo, v => v.State == Vms.VmState.Running, "the demo VM running, over ssh")).Vm(host, demo);

        var endpoint = await new ConsoleLocator(hypervisor.Hosts, hypervisor.Live).LocateVncAsync(vm.Key);

        Assert.Equal("127.0.0.1", endpoint.Address); // the demo VM's display listens on loopback only
        var tunnel = Assert.IsType<SshTunnel>(endpoint.Tunnel);
        Assert.Equal(("127.0.0.1", sshd.Port, "root"), (tunnel.Host, tunnel.Port, tunnel.User));
        await using var stream = tunnel.Open(endpoint.Address!, endpoint.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var greeting = new byte[12];
        await stream.ReadExactlyAsync(greeting, timeout.Token);
        Assert.StartsWith("RFB 003.", Encoding.ASCII.GetString(greeting));
    }

    [Fact]
    public async Task A_tunnel_whose_host_key_is_unknown_fails_with_sshs_reason_and_asks_nothing()
    {
        using var sshd = new LoopbackSshd();
        var knownHosts = Path.GetTempFileName();
        try
        {
            var tunnel = new SshTunnel("127.0.0.1", sshd.Port, "root", KeyFile: null, KnownHostsFile: knownHosts);
            await using var stream = tunnel.Open("127.0.0.1", 5900);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            var error = await Assert.ThrowsAsync<IOException>(() => stream.ReadExactlyAsync(new byte[12], timeout.Token).AsTask());

            Assert.Contains("Host key verification failed", error.Message);
        }
        finally
        {
            File.Delete(knownHosts);
        }
    }

    [Fact]
    public void An_instances_credentials_folder_is_private_and_folders_of_dead_instances_are_removed()
    {
        var dead = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "kvmportal-hosts-999999999-test")).FullName;
        File.WriteAllText(Path.Combine(dead, "left-over"), "key");
        var alive = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kvmportal-hosts-{Environment.ProcessId}-test")).FullName;
        string? created = null;
        try
        {
            created = HostCredentialFiles.CreateInstanceRoot();

            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(alive));
            Assert.StartsWith(Path.Combine(Path.GetTempPath(), $"kvmportal-hosts-{Environment.ProcessId}-"), created);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(created));
        }
        finally
        {
            foreach (var folder in new[] { dead, alive, created })
                if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("qemu+tls://kvm1/system?pkipath=/etc/other&no_verify=1&tls_priority=NORMAL", "qemu+tls://kvm1/system?tls_priority=NORMAL&pkipath={0}")]
    [InlineData("qemu+ssh://root@kvm1:2222/system?no_verify=1&keyfile=/root/.ssh/id&socket=/run/x",
        "qemu+libssh://root@kvm1:2222/system?socket=/run/x&keyfile={0}%2Fssh-key&known_hosts={0}%2Fknown_hosts&known_hosts_verify=normal&sshauth=privkey")]
    [InlineData("qemu+libssh2://kvm1/system",
        "qemu+libssh://kvm1/system?keyfile={0}%2Fssh-key&known_hosts={0}%2Fknown_hosts&known_hosts_verify=normal&sshauth=privkey")]
    public void The_effective_uri_uses_the_stored_files_and_drops_what_would_override_or_weaken_them(string uri, string expected)
    {
        var root = Directory.CreateTempSubdirectory("kvmportal-test-creds-").FullName;
        try
        {
            var tls = TestPki.NewCaWithClient("uri CA");
            var host = Define(uri, new HostCredentials(tls, new SshCredentials(LoopbackSshd.GenerateKey().PrivateKey, "kvm1 ssh-ed25519 AAAA")));

            using var files = HostCredentialFiles.Write(root, host);

            Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, Uri.EscapeDataString(files.Folder)), files.EffectiveUri);
            Assert.Equal(expected.Contains("pkipath", StringComparison.Ordinal), File.Exists(Path.Combine(files.Folder, "clientkey.pem")));
            Assert.Equal(!expected.Contains("pkipath", StringComparison.Ordinal), File.Exists(Path.Combine(files.Folder, "ssh-key")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
