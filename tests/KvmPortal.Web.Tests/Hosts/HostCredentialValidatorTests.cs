using KvmPortal.Web.Hosts.Credentials;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Hosts;

public sealed class HostCredentialValidatorTests
{
    private const string TlsUri = "qemu+tls://lab/system";
    private const string SshUri = "qemu+ssh://root@lab:2222/system";
    private const string KnownHostsLine = "lab ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo";

    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static readonly HostCredentialValidator Validator = new(Text, TimeProvider.System);

    private static HostCredentialProblem Single(HostCredentialCheck check)
    {
        Assert.False(check.IsValid);
        return Assert.Single(check.Problems);
    }

    [Fact]
    public void A_consistent_tls_set_is_accepted_as_given()
    {
        using var ca = new TestCa();
        var input = ca.TlsInput();

        var check = Validator.Check(input, TlsUri);

        Assert.True(check.IsValid, string.Join(" ", check.Problems));
        Assert.Equal(input.TlsClientKey!.Trim(), check.Credentials!.Tls!.ClientKeyPem);
        Assert.Null(check.Credentials.Ssh);
    }

    [Fact]
    public void No_credentials_store_nothing()
    {
        var check = Validator.Check(new HostCredentialInput(), TlsUri);
        Assert.True(check.IsValid);
        Assert.Null(check.Credentials);
    }

    [Fact]
    public void Text_that_is_not_pem_is_refused_under_its_field()
    {
        using var ca = new TestCa();
        var input = ca.TlsInput();
        input.TlsCaCertificate = "hello, I am a certificate";

        var problem = Single(Validator.Check(input, TlsUri));

        Assert.Equal(HostCredentialField.TlsCaCertificate, problem.Field);
        Assert.Equal("This is not a PEM certificate (-----BEGIN CERTIFICATE-----).", problem.Message);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        using var ca = new TestCa();
        var input = ca.TlsInput();
        input.TlsClientKey = ca.Client().KeyPem;

        var problem = Single(Validator.Check(input, TlsUri));

        Assert.Equal(HostCredentialField.TlsClientKey, problem.Field);
        Assert.Equal("This key does not belong to the client certificate.", problem.Message);
    }

    [Fact]
    public void An_expired_client_certificate_is_refused_with_its_date()
    {
        using var ca = new TestCa();
        var (certificate, key) = ca.Client(notAfter: new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var problem = Single(Validator.Check(new HostCredentialInput { TlsCaCertificate = ca.Pem, TlsClientCertificate = certificate, TlsClientKey = key }, TlsUri));

        Assert.Equal(HostCredentialField.TlsClientCertificate, problem.Field);
        Assert.Equal("The certificate CN=kvmportal-test-client expired on 2025-03-01 12:00 UTC.", problem.Message);
    }

    [Fact]
    public void An_expired_ca_is_refused()
    {
        using var ca = new TestCa(expired: true);
        using var good = new TestCa("good");
        var input = good.TlsInput();
        input.TlsCaCertificate = ca.Pem;

        var check = Validator.Check(input, TlsUri);

        Assert.Contains(check.Problems, p => p.Field == HostCredentialField.TlsCaCertificate && p.Message.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(check.Problems, p => p.Message == "The client certificate is not issued by the CA certificate given (libvirt checks its own certificate against it).");
    }

    [Fact]
    public void A_passphrase_protected_key_is_refused_because_nothing_could_type_it()
    {
        using var ca = new TestCa();
        var (certificate, key) = ca.Client(passphrase: "secret words");

        var problem = Single(Validator.Check(new HostCredentialInput { TlsCaCertificate = ca.Pem, TlsClientCertificate = certificate, TlsClientKey = key }, TlsUri));

        Assert.Equal(HostCredentialField.TlsClientKey, problem.Field);
        Assert.StartsWith("The key is protected by a passphrase.", problem.Message);
    }

    [Fact]
    public void A_client_certificate_of_another_ca_is_refused()
    {
        using var ca = new TestCa();
        using var other = new TestCa("other CA");
        var input = other.TlsInput();
        input.TlsCaCertificate = ca.Pem;

        var problem = Single(Validator.Check(input, TlsUri));

        Assert.Equal(HostCredentialField.TlsClientCertificate, problem.Field);
        Assert.StartsWith("The client certificate is not issued by the CA", problem.Message);
    }

    [Fact]
    public void A_server_certificate_or_the_ca_itself_is_not_taken_as_client_certificate()
    {
        using var ca = new TestCa();
        var (serverCertificate, serverKey) = ca.Client(clientAuth: false);

        var server = Single(Validator.Check(new HostCredentialInput { TlsCaCertificate = ca.Pem, TlsClientCertificate = serverCertificate, TlsClientKey = serverKey }, TlsUri));
        var asClient = Validator.Check(new HostCredentialInput { TlsCaCertificate = ca.Pem, TlsClientCertificate = ca.Pem, TlsClientKey = ca.Client().KeyPem }, TlsUri);

        Assert.Equal("This certificate is not made for client authentication (extended key usage clientAuth).", server.Message);
        Assert.Contains(asClient.Problems, p => p.Message == "This is a CA certificate; libvirt needs a client certificate here.");
    }

    [Fact]
    public void Missing_parts_and_the_wrong_transport_are_named()
    {
        using var ca = new TestCa();

        var missing = Validator.Check(new HostCredentialInput { TlsCaCertificate = ca.Pem }, TlsUri);
        var wrongTransport = Single(Validator.Check(ca.TlsInput(), SshUri));
        var sshOnTls = Single(Validator.Check(new HostCredentialInput { SshPrivateKey = "x", SshKnownHosts = "y" }, "qemu+tcp://lab/system"));

        Assert.Equal([HostCredentialField.TlsClientCertificate, HostCredentialField.TlsClientKey], missing.Problems.Select(p => p.Field));
        Assert.All(missing.Problems, p => Assert.Equal("Required.", p.Message));
        Assert.Equal("TLS certificates are used with qemu+tls:// URIs only.", wrongTransport.Message);
        Assert.Equal(HostCredentialField.SshPrivateKey, sshOnTls.Field);
    }

    [Theory]
    [InlineData("ed25519", false)]
    [InlineData("ecdsa", false)]
    [InlineData("rsa", false)]
    [InlineData("rsa", true)]
    [InlineData("ecdsa", true)]
    public void An_ssh_key_is_accepted_and_its_fingerprint_is_the_one_ssh_keygen_shows(string type, bool pem)
    {
        var (key, publicKey, fingerprint) = TestSshKeys.Generate(type, pem: pem);
        var hostKey = TestSshKeys.Generate().PublicKey.Split(' ');

        var check = Validator.Check(new HostCredentialInput { SshPrivateKey = key, SshKnownHosts = $"# lab\n[lab]:2222 {hostKey[0]} {hostKey[1]}\n" }, SshUri);

        Assert.True(check.IsValid, string.Join(" ", check.Problems));
        var summary = SshCredentialSummary.Of(check.Credentials!.Ssh!);
        Assert.Equal(fingerprint, summary.KeyFingerprint);
        Assert.Equal(publicKey.Split(' ')[0], summary.KeyType);
        Assert.Equal($"[lab]:2222 {hostKey[0]} {TestSshKeys.FingerprintOf(hostKey[0] + " " + hostKey[1])}", Assert.Single(summary.KnownHosts));
    }

    [Fact]
    public void A_passphrase_protected_ssh_key_is_refused()
    {
        var (key, _, _) = TestSshKeys.Generate(passphrase: "secret words");

        var problem = Single(Validator.Check(new HostCredentialInput { SshPrivateKey = key, SshKnownHosts = KnownHostsLine }, SshUri));

        Assert.Equal(HostCredentialField.SshPrivateKey, problem.Field);
        Assert.StartsWith("The key is protected by a passphrase.", problem.Message);
    }

    [Fact]
    public void A_public_key_pasted_as_private_key_and_bad_known_hosts_lines_are_named()
    {
        var (_, publicKey, _) = TestSshKeys.Generate();

        var check = Validator.Check(new HostCredentialInput { SshPrivateKey = publicKey, SshKnownHosts = "lab\n\nlab ssh-ed25519 !!notbase64" }, SshUri);

        Assert.Equal(
        [
            (HostCredentialField.SshPrivateKey, "This is a public key. Paste the private key (the file without .pub); the public key goes into the host's authorized_keys."),
            (HostCredentialField.SshKnownHosts, "Line 1 is not a known_hosts entry (host key-type key, as ssh-keyscan prints)."),
            (HostCredentialField.SshKnownHosts, "Line 3 is not a known_hosts entry (host key-type key, as ssh-keyscan prints)."),
        ], check.Problems.Select(p => (p.Field, p.Message)));
    }

    [Fact]
    public void The_problems_read_in_chinese_too()
    {
        using var _ = new KvmPortal.Web.Tests.Localization.CultureScope("zh-Hans");
        var problem = Single(Validator.Check(new HostCredentialInput { SshPrivateKey = "nonsense", SshKnownHosts = KnownHostsLine }, SshUri));
        Assert.StartsWith("这不是 SSH 私钥", problem.Message);
    }
}
