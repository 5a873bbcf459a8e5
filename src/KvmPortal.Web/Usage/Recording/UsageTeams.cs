using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// Which team owns each VM, for stamping samples: the whole ownership index read at most once per
/// <see cref="RefreshInterval"/> (one query for every host and VM), not a query per VM. When the read fails the
/// previous map is kept, so a database blip does not strip samples of their team.
/// </summary>
public sealed class UsageTeams(VmOwnershipIndex index, TimeProvider clock, ILogger<UsageTeams> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private IReadOnlyDictionary<VmKey, Guid> _owners = new Dictionary<VmKey, Guid>();
    private DateTimeOffset? _readAt;

    public async Task<Func<VmKey, Guid?>> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_readAt is null || now - _readAt >= RefreshInterval)
        {
            _readAt = now;
            try
            {
                _owners = await index.GetAllAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Reading VM ownership for usage samples failed, keeping the previous map: {Reason}", e.Message);
            }
        }
        var owners = _owners;
        return vm => owners.TryGetValue(vm, out var team) ? team : null;
    }
}
