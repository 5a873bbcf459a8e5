namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>What the host form (or the API) sends: PEM/OpenSSH text pasted or read from a picked file.</summary>
public sealed class HostCredentialInput
{
    public string? TlsCaCertificate { get; set; }
    public string? TlsClientCertificate { get; set; }
    public string? TlsClientKey { get; set; }
    public string? SshPrivateKey { get; set; }
    public string? SshKnownHosts { get; set; }

    public bool HasTls => !string.IsNullOrWhiteSpace(TlsCaCertificate) || !string.IsNullOrWhiteSpace(TlsClientCertificate)
        || !string.IsNullOrWhiteSpace(TlsClientKey);

    public bool HasSsh => !string.IsNullOrWhiteSpace(SshPrivateKey) || !string.IsNullOrWhiteSpace(SshKnownHosts);

    public bool IsEmpty => !HasTls && !HasSsh;

    /// <summary>Only the section the transport uses: what a form hides (another transport's section) is not sent.</summary>
    public HostCredentialInput ForTransport(string? transport)
    {
        var tls = transport == "tls";
        var ssh = HostCredentialValidator.IsSshTransport(transport);
        return new HostCredentialInput
        {
            TlsCaCertificate = tls ? TlsCaCertificate : null,
            TlsClientCertificate = tls ? TlsClientCertificate : null,
            TlsClientKey = tls ? TlsClientKey : null,
            SshPrivateKey = ssh ? SshPrivateKey : null,
            SshKnownHosts = ssh ? SshKnownHosts : null,
        };
    }

    // Never print key material (a log of the input must not carry it).
    public override string ToString() => $"HostCredentialInput {{ Tls = {HasTls}, Ssh = {HasSsh} }}";
}

/// <summary>The fields of <see cref="HostCredentialInput"/>, naming where a problem is.</summary>
public enum HostCredentialField { TlsCaCertificate, TlsClientCertificate, TlsClientKey, SshPrivateKey, SshKnownHosts }

/// <summary>One thing wrong with the credentials, in the user's language.</summary>
public sealed record HostCredentialProblem(HostCredentialField Field, string Message);
