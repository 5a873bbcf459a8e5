using KvmPortal.Web.Audit;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Hosts.Credentials;

namespace KvmPortal.Web.Access.Gated;

/// <summary>The host registry through the gate: listing needs the host view, adding and removing host management.</summary>
internal sealed class GatedHostDirectory(HostDirectory inner, OperationGate gate, AuditTargets targets) : IHostDirectory
{
    public async Task<IReadOnlyList<Data.HostRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewHosts, AccessTarget.Global, cancellationToken);
        return await inner.ListAsync(cancellationToken);
    }

    public Task<HostDirectoryResult> AddAsync(string? name, string? uri, HostCredentialInput? credentials = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageHosts, "host.add", AccessTarget.Global, new AuditTarget(HostName: name, Other: uri),
                new { name, uri, tls = credentials?.HasTls ?? false, ssh = credentials?.HasSsh ?? false }),
            () => inner.AddAsync(name, uri, credentials, cancellationToken), cancellationToken, result => result.Error);

    // Only which kinds of credentials were stored is audited, never the keys.
    public Task<HostDirectoryResult> SetCredentialsAsync(Guid id, HostCredentialInput? credentials, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageHosts, credentials is { IsEmpty: false } ? "host.credentials.change" : "host.credentials.remove",
                AccessTarget.Host(id), targets.Host(id), new { tls = credentials?.HasTls ?? false, ssh = credentials?.HasSsh ?? false }),
            () => inner.SetCredentialsAsync(id, credentials, cancellationToken), cancellationToken, result => result.Error);

    public async Task<HostCredentialSummary?> CredentialSummaryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageHosts, AccessTarget.Host(id), cancellationToken);
        return await inner.CredentialSummaryAsync(id, cancellationToken);
    }

    public Task<HostDirectoryResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageHosts, "host.remove", AccessTarget.Host(id), targets.Host(id)),
            () => inner.RemoveAsync(id, cancellationToken), cancellationToken, result => result.Error);

    public string? ValidateName(string? name) => inner.ValidateName(name);

    public string? ValidateUri(string? uri) => inner.ValidateUri(uri);
}
