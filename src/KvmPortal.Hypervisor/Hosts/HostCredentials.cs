namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// Credentials of one host, as PEM/OpenSSH text. The web app validates and stores them protected; the host session
/// writes them to private files for libvirt (<see cref="HostCredentialFiles"/>).
/// </summary>
public sealed record HostCredentials(TlsCredentials? Tls, SshCredentials? Ssh)
{
    public bool IsEmpty => Tls is null && Ssh is null;
}

/// <summary>A qemu+tls client: the CA that signed the host's certificate, our certificate and its unencrypted key (PEM).</summary>
public sealed record TlsCredentials(string CaCertificatePem, string ClientCertificatePem, string ClientKeyPem)
{
    // Records print every property; a host definition in a log must never carry a key.
    public override string ToString() => "TlsCredentials { (redacted) }";
}

/// <summary>A qemu+ssh client: an unencrypted private key (OpenSSH or PEM) and the host's known_hosts lines.</summary>
public sealed record SshCredentials(string PrivateKey, string KnownHosts)
{
    public override string ToString() => "SshCredentials { (redacted) }";
}
