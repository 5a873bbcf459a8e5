using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Inventory;
using Microsoft.AspNetCore.SignalR;

namespace KvmPortal.Web.Api.Hubs;

/// <summary>
/// One inventory subscription per hub connection (an in-memory channel, no libvirt call), pumped in order to that
/// connection: first the snapshot, then each visible change batch. Stopped when the connection goes.
/// </summary>
public sealed class InventoryFeeds(IInventory inventory, IHubContext<InventoryHub> hub, ILogger<InventoryFeeds> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> feeds = new();

    public void Start(string connectionId, InventoryViewer viewer)
    {
        var stop = new CancellationTokenSource();
        if (!feeds.TryAdd(connectionId, stop))
        {
            stop.Dispose();
            return;
        }
        _ = Task.Run(() => PumpAsync(connectionId, viewer, stop.Token));
    }

    public void Stop(string connectionId)
    {
        if (feeds.TryRemove(connectionId, out var stop))
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    private async Task PumpAsync(string connectionId, InventoryViewer viewer, CancellationToken stop)
    {
        var client = hub.Clients.Client(connectionId);
        try
        {
            var subscription = inventory.Subscribe(stop);
            var snapshot = subscription.Snapshot;
            await client.SendAsync(InventoryHub.SnapshotMethod, viewer.Snapshot(snapshot), stop);
            await foreach (var batch in subscription.Changes.WithCancellation(stop))
            {
                snapshot = snapshot.Apply(batch);
                if (viewer.Filter(batch, snapshot) is { Count: > 0 } visible)
                    await client.SendAsync(InventoryHub.ChangesMethod, visible, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Inventory feed of hub connection {Connection} stopped", connectionId);
        }
    }

    public void Dispose()
    {
        foreach (var connectionId in feeds.Keys)
            Stop(connectionId);
    }
}
