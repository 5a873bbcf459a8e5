using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.SignalR;

namespace KvmPortal.Web.Api.Hubs;

/// <summary>
/// The inventory for API clients: on connect the caller gets a "Snapshot" of the hosts and VMs it may see, then
/// "Changes" batches. Clients only listen; the feed comes from the in-memory inventory, never from libvirt.
/// </summary>
public sealed class InventoryHub(IAccessPolicy policy, InventoryFeeds feeds) : Hub
{
    public const string SnapshotMethod = "Snapshot";
    public const string ChangesMethod = "Changes";

    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        var actor = CurrentActor.FromPrincipal(Context.User ?? new(), http is null ? null : SourceAddress.Of(http));
        var ct = Context.ConnectionAborted;
        var viewer = new InventoryViewer(
            await policy.GetVmVisibilityAsync(actor, ct),
            await policy.IsAllowedAsync(actor, PortalAction.ViewHosts, AccessTarget.Global, ct));
        feeds.Start(Context.ConnectionId, viewer);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feeds.Stop(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
