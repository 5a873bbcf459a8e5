using System.Text.Json;
using KvmPortal.Hypervisor.Hosts;
using Microsoft.AspNetCore.DataProtection;

namespace KvmPortal.Web.Hosts.Credentials;

/// <summary>
/// Protects host credentials for the database with ASP.NET Core Data Protection (keys in PostgreSQL, shared by the
/// instances) under a purpose of their own, so no other protected payload of the app can be swapped in.
/// </summary>
public sealed class HostCredentialProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "KvmPortal.Hosts.Credentials.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(HostCredentials credentials) =>
        _protector.Protect(JsonSerializer.Serialize(new Stored(
            credentials.Tls?.CaCertificatePem, credentials.Tls?.ClientCertificatePem, credentials.Tls?.ClientKeyPem,
            credentials.Ssh?.PrivateKey, credentials.Ssh?.KnownHosts)));

    /// <summary>The stored credentials; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the payload cannot be read.</summary>
    public HostCredentials Unprotect(string protectedCredentials)
    {
        var stored = JsonSerializer.Deserialize<Stored>(_protector.Unprotect(protectedCredentials))
            ?? throw new System.Security.Cryptography.CryptographicException("Empty host credentials payload.");
        return new HostCredentials(
            stored.TlsCa is { } ca && stored.TlsCertificate is { } certificate && stored.TlsKey is { } key ? new TlsCredentials(ca, certificate, key) : null,
            stored.SshKey is { } sshKey && stored.SshKnownHosts is { } knownHosts ? new SshCredentials(sshKey, knownHosts) : null);
    }

    private sealed record Stored(string? TlsCa, string? TlsCertificate, string? TlsKey, string? SshKey, string? SshKnownHosts);
}
