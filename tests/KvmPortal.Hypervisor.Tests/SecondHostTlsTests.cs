using System.Diagnostics;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Tests.Support;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;

namespace KvmPortal.Hypervisor.Tests;

/// <summary>
/// The second libvirt host over qemu+tls (deploy/lib/second-host.sh: its own CA, server certificate for 10.251.0.2,
/// client certificate required), with certificate verification on.
/// </summary>
[Collection(SystemDaemonCollection.Name)]
public sealed class SecondHostTlsTests
{
    [Fact]
    public async Task Over_tls_the_host_comes_online_and_a_vm_moves_to_it()
    {
        var name = TestDomains.NewName();
        try
        {
            Guid uuid;
            using (var system = TestDomains.OpenSystem())
            using (var domain = system.DefineDomain(SecondHost.DemoDomainXml(name).ToString()))
                uuid = domain.Uuid;
            await using var hypervisor = new HypervisorHarness();
            var main = hypervisor.Attach(TestDomains.SystemUri, "main");
            var tls = hypervisor.Attach(SecondHost.TlsUri, "second-tls");
            await hypervisor.Live.WaitForHostAsync(main, HostStatus.Online);
            var online = await hypervisor.Live.WaitForHostAsync(tls, HostStatus.Online);
            Assert.Equal("kvmportal-host2", online.Hosts[tls.Id].Capabilities?.Hostname);

            await hypervisor.Migration.MigrateAsync(new VmKey(main.Id, uuid), new MigrationSpec(tls.Id, MigrationMode.Offline));

            await hypervisor.Live.WaitForVmAsync(tls, name, v => v.State == VmState.ShutOff, "defined on the TLS host");
            using var second = SecondHost.Open();
            using var there = second.LookupDomainByUuid(uuid);
            Assert.True(there.IsPersistent);
        }
        finally
        {
            SecondHost.RemoveEverywhere(name);
        }
    }

    [Fact]
    public async Task A_client_of_another_ca_does_not_trust_the_server_and_the_host_shows_offline_with_libvirts_reason()
    {
        var pki = Directory.CreateTempSubdirectory("kvmportal-test-pki-").FullName;
        try
        {
            // A consistent client of its own CA: its own certificate checks out, the server's does not.
            string In(string file) => Path.Combine(pki, file);
            Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=another CA",
                "-keyout", In("cakey.pem"), "-out", In("cacert.pem"));
            Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=stranger", "-keyout", In("clientkey.pem"), "-out", In("client.csr"));
            Run("openssl", "x509", "-req", "-days", "1", "-in", In("client.csr"), "-CA", In("cacert.pem"), "-CAkey", In("cakey.pem"),
                "-CAcreateserial", "-out", In("clientcert.pem"));
            var uri = $"qemu+tls://10.251.0.2/system?pkipath={pki}";
            await using var hypervisor = new HypervisorHarness();
            var host = hypervisor.Attach(uri, "untrusted");

            var offline = await hypervisor.Live.WaitForHostAsync(host, HostStatus.Offline);

            Assert.Contains("certificate", offline.Hosts[host.Id].StatusMessage, StringComparison.OrdinalIgnoreCase);
            using (SecondHost.Open()) { } // the host itself is up: only this client is refused
        }
        finally
        {
            Directory.Delete(pki, recursive: true);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {process.StandardError.ReadToEnd()}");
    }
}
