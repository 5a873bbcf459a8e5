using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KvmPortal.Web.Hosts.Credentials;

namespace KvmPortal.Web.Tests.Hosts;

/// <summary>Credentials made by the tests: a CA and client certificates (.NET), SSH keys (Debian's ssh-keygen).</summary>
public sealed class TestCa : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public TestCa(string name = "KvmPortal test CA", bool expired = false)
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // From 2024 on, so that clients expired long ago can still be signed by it.
        var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Certificate = request.CreateSelfSigned(from, DateTimeOffset.UtcNow.AddDays(expired ? -1 : 365));
    }

    public X509Certificate2 Certificate { get; }

    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>A client certificate signed by this CA, and its key (PKCS#8 PEM, or encrypted with <paramref name="passphrase"/>).</summary>
    public (string CertificatePem, string KeyPem) Client(
        string name = "kvmportal-test-client", DateTimeOffset? notAfter = null, string? passphrase = null, bool clientAuth = true)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var certificate = request.Create(Certificate, end.AddDays(-60), end, RandomNumberGenerator.GetBytes(8));
        var keyPem = passphrase is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        return (certificate.ExportCertificatePem(), keyPem);
    }

    public HostCredentialInput TlsInput()
    {
        var (certificate, key) = Client();
        return new HostCredentialInput { TlsCaCertificate = Pem, TlsClientCertificate = certificate, TlsClientKey = key };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}

public static class TestSshKeys
{
    /// <summary>A new key pair from ssh-keygen: the private key file's text, the .pub line and ssh-keygen's own SHA256 fingerprint.</summary>
    public static (string PrivateKey, string PublicKey, string Fingerprint) Generate(string type = "ed25519", string passphrase = "", bool pem = false)
    {
        var folder = Directory.CreateTempSubdirectory("kvmportal-test-key-").FullName;
        try
        {
            var file = Path.Combine(folder, "key");
            string[] format = pem ? ["-m", "PEM"] : [];
            Run("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", file, .. format]);
            var fingerprint = Run("ssh-keygen", ["-l", "-E", "sha256", "-f", file + ".pub"]).Split(' ')[1];
            return (File.ReadAllText(file), File.ReadAllText(file + ".pub").Trim(), fingerprint);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>ssh-keygen's SHA256 fingerprint of a public key line.</summary>
    public static string FingerprintOf(string publicKeyLine)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, publicKeyLine + "\n");
            return Run("ssh-keygen", ["-l", "-E", "sha256", "-f", file]).Split(' ')[1];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} failed: {process.StandardError.ReadToEnd()}");
    }
}
