using System.Security.Cryptography.X509Certificates;
using KvmPortal.Hypervisor.Hosts;

namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>What the host page shows of stored credentials: never the keys, only who and until when.</summary>
public sealed record HostCredentialSummary(TlsCredentialSummary? Tls, SshCredentialSummary? Ssh)
{
    public static HostCredentialSummary Of(HostCredentials credentials) =>
        new(credentials.Tls is { } tls ? TlsCredentialSummary.Of(tls) : null, credentials.Ssh is { } ssh ? SshCredentialSummary.Of(ssh) : null);
}

public sealed record CertificateSummary(string Subject, string Issuer, DateTimeOffset NotAfter, string Sha256)
{
    public static CertificateSummary Of(X509Certificate2 certificate) =>
        new(certificate.Subject, certificate.Issuer, certificate.NotAfter.ToUniversalTime(), certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
}

public sealed record TlsCredentialSummary(IReadOnlyList<CertificateSummary> Authorities, CertificateSummary Client)
{
    public static TlsCredentialSummary Of(TlsCredentials tls)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(tls.CaCertificatePem);
        using var client = X509Certificate2.CreateFromPem(tls.ClientCertificatePem);
        try
        {
            return new([.. authorities.Select(CertificateSummary.Of)], CertificateSummary.Of(client));
        }
        finally
        {
            foreach (var authority in authorities) authority.Dispose();
        }
    }
}

/// <summary>The key's type and fingerprint, and each known host with its key's fingerprint.</summary>
public sealed record SshCredentialSummary(string KeyType, string KeyFingerprint, IReadOnlyList<string> KnownHosts)
{
    public static SshCredentialSummary Of(SshCredentials ssh)
    {
        SshKeys.ReadPrivateKey(ssh.PrivateKey, out var key);
        return new(key?.Type ?? "?", key?.Fingerprint ?? "?",
            [.. Credentials.KnownHosts.Parse(ssh.KnownHosts).Where(l => l.Key is not null).Select(l => $"{l.Hosts} {l.Key!.Type} {l.Key.Fingerprint}")]);
    }
}
