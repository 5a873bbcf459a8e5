using KvmPortal.Web.Audit;
using KvmPortal.Web.Hosts;

namespace KvmPortal.Web.Access.Gated;

/// <summary>The host registry through the gate: listing needs the host view, adding and removing host management.</summary>
internal sealed class GatedHostDirectory(HostDirectory inner, OperationGate gate, AuditTargets targets) : IHostDirectory
{
    public async Task<IReadOnlyList<Data.HostRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewHosts, AccessTarget.Global, cancellationToken);
        return await inner.ListAsync(cancellationToken);
    }

    public Task<HostDirectoryResult> AddAsync(string? name, string? uri, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageHosts, "host.add", AccessTarget.Global, new AuditTarget(HostName: name, Other: uri), new { name, uri }),
            () => inner.AddAsync(name, uri, cancellationToken), cancellationToken, result => result.Error);

    public Task<HostDirectoryResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageHosts, "host.remove", AccessTarget.Host(id), targets.Host(id)),
            () => inner.RemoveAsync(id, cancellationToken), cancellationToken, result => result.Error);

    public string? ValidateName(string? name) => inner.ValidateName(name);

    public string? ValidateUri(string? uri) => inner.ValidateUri(uri);
}
