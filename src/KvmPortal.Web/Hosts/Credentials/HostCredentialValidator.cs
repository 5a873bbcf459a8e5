using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>The outcome of checking credentials: what to store, or every problem found.</summary>
public sealed record HostCredentialCheck(HostCredentials? Credentials, IReadOnlyList<HostCredentialProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Checks credentials before they are stored, so a host does not just go offline later: PEM that parses, a client
/// key that belongs to its certificate, certificates in date, a client certificate libvirt accepts (issued by the
/// CA, not a CA, for client authentication), unencrypted keys (nothing may prompt for a passphrase), known_hosts
/// lines that parse, and the transport the URI names.
/// </summary>
public sealed class HostCredentialValidator(IStringLocalizer<Strings> text, TimeProvider clock)
{
    public const int MaxFieldLength = 64 * 1024;
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private static readonly string[] SshTransports = ["ssh", "libssh", "libssh2"];

    public HostCredentialCheck Check(HostCredentialInput input, string? uri)
    {
        var problems = new List<HostCredentialProblem>();
        var transport = Transport(uri);
        TlsCredentials? tls = null;
        SshCredentials? ssh = null;
        if (input.HasTls)
        {
            if (transport != "tls")
                problems.Add(new(HostCredentialField.TlsCaCertificate, text["HostCredentialTlsNeedsTlsUri"]));
            else
                tls = CheckTls(input, problems);
        }
        if (input.HasSsh)
        {
            if (!IsSshTransport(transport))
                problems.Add(new(HostCredentialField.SshPrivateKey, text["HostCredentialSshNeedsSshUri"]));
            else
                ssh = CheckSsh(input, problems);
        }
        return problems.Count > 0 ? new(null, problems) : new(tls is null && ssh is null ? null : new HostCredentials(tls, ssh), []);
    }

    /// <summary>The transport of a libvirt URI ("tls" in qemu+tls://...), or null.</summary>
    public static string? Transport(string? uri)
    {
        var colon = uri?.IndexOf(':') ?? -1;
        if (colon < 0) return null;
        var scheme = uri![..colon].Trim().Split('+', 2);
        return scheme.Length > 1 ? scheme[1] : null;
    }

    public static bool IsSshTransport(string? transport) => SshTransports.Contains(transport);

    private TlsCredentials? CheckTls(HostCredentialInput input, List<HostCredentialProblem> problems)
    {
        var before = problems.Count;
        var ca = Required(input.TlsCaCertificate, HostCredentialField.TlsCaCertificate, problems);
        var certificate = Required(input.TlsClientCertificate, HostCredentialField.TlsClientCertificate, problems);
        var key = Required(input.TlsClientKey, HostCredentialField.TlsClientKey, problems);
        if (problems.Count > before)
            return null;

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(ca!);
        }
        catch (CryptographicException)
        {
        }
        if (authorities.Count == 0)
            problems.Add(new(HostCredentialField.TlsCaCertificate, text["HostCredentialNotPemCertificate"]));
        foreach (var authority in authorities)
            CheckDates(authority, HostCredentialField.TlsCaCertificate, problems);

        X509Certificate2? client = null;
        try
        {
            client = X509Certificate2.CreateFromPem(certificate!);
            CheckDates(client, HostCredentialField.TlsClientCertificate, problems);
            if (client.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
                problems.Add(new(HostCredentialField.TlsClientCertificate, text["HostCredentialCertificateIsCa"]));
            if (client.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage
                && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthentication))
                problems.Add(new(HostCredentialField.TlsClientCertificate, text["HostCredentialNotClientCertificate"]));
        }
        catch (CryptographicException)
        {
            problems.Add(new(HostCredentialField.TlsClientCertificate, text["HostCredentialNotPemCertificate"]));
        }

        using (client)
        {
            if (CheckPrivateKey(key!, client, problems) && client is not null && authorities.Count > 0 && !IssuedBy(client, authorities))
                problems.Add(new(HostCredentialField.TlsClientCertificate, text["HostCredentialNotIssuedByCa"]));
        }
        foreach (var authority in authorities) authority.Dispose();
        return problems.Count > before ? null : new TlsCredentials(ca!.Trim(), certificate!.Trim(), key!.Trim());
    }

    /// <summary>The key parses, is not encrypted and (when the certificate parsed) belongs to it.</summary>
    private bool CheckPrivateKey(string key, X509Certificate2? certificate, List<HostCredentialProblem> problems)
    {
        if (key.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            problems.Add(new(HostCredentialField.TlsClientKey, text["HostCredentialKeyEncrypted"]));
            return false;
        }
        byte[]? keyInfo = ImportPublicKeyInfo(key);
        if (keyInfo is null)
        {
            problems.Add(new(HostCredentialField.TlsClientKey, text["HostCredentialNotPemKey"]));
            return false;
        }
        if (certificate is not null && !certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(keyInfo))
        {
            problems.Add(new(HostCredentialField.TlsClientKey, text["HostCredentialKeyDoesNotMatch"]));
            return false;
        }
        return true;
    }

    private static byte[]? ImportPublicKeyInfo(string pem)
    {
        AsymmetricAlgorithm[] candidates = [RSA.Create(), ECDsa.Create()];
        try
        {
            foreach (var candidate in candidates)
            {
                try
                {
                    candidate.ImportFromPem(pem);
                    return candidate.ExportSubjectPublicKeyInfo();
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                }
            }
            return null;
        }
        finally
        {
            foreach (var candidate in candidates) candidate.Dispose();
        }
    }

    private static bool IssuedBy(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.ExtraStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Dates are checked (and worded) separately; the chain answers only "who signed it".
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(client);
    }

    private void CheckDates(X509Certificate2 certificate, HostCredentialField field, List<HostCredentialProblem> problems)
    {
        var now = clock.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            problems.Add(new(field, text["HostCredentialCertificateExpired", certificate.Subject, certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'")]));
        else if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            problems.Add(new(field, text["HostCredentialCertificateNotYetValid", certificate.Subject, certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'")]));
    }

    private SshCredentials? CheckSsh(HostCredentialInput input, List<HostCredentialProblem> problems)
    {
        var before = problems.Count;
        var key = Required(input.SshPrivateKey, HostCredentialField.SshPrivateKey, problems);
        var knownHosts = Required(input.SshKnownHosts, HostCredentialField.SshKnownHosts, problems);
        if (key is not null)
        {
            var problem = SshKeys.ReadPrivateKey(key, out _);
            if (problem != SshKeyProblem.None)
                problems.Add(new(HostCredentialField.SshPrivateKey, text[$"HostCredentialSshKey{problem}"]));
        }
        if (knownHosts is not null)
        {
            var lines = KnownHosts.Parse(knownHosts);
            foreach (var bad in lines.Where(l => l.Key is null))
                problems.Add(new(HostCredentialField.SshKnownHosts, text["HostCredentialKnownHostsBadLine", bad.Number]));
            if (lines.Count == 0)
                problems.Add(new(HostCredentialField.SshKnownHosts, text["HostCredentialRequired"]));
        }
        return problems.Count > before ? null : new SshCredentials(key!.Trim() + "\n", knownHosts!.Trim() + "\n");
    }

    private string? Required(string? value, HostCredentialField field, List<HostCredentialProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new(field, text["HostCredentialRequired"]));
            return null;
        }
        if (value.Length > MaxFieldLength)
        {
            problems.Add(new(field, text["HostCredentialTooLong", MaxFieldLength / 1024]));
            return null;
        }
        return value;
    }
}
