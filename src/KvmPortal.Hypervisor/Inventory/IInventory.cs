namespace KvmPortal.Hypervisor.Inventory;

/// <summary>
/// The live state of all hosts and VMs. Pages subscribe instead of polling libvirt, so N browsers cost
/// libvirt the same as one.
/// </summary>
public interface IInventory
{
    InventorySnapshot Current { get; }

    /// <summary>
    /// Returns the current snapshot and a stream of change batches that follow it without gaps.
    /// The stream ends when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    InventorySubscription Subscribe(CancellationToken cancellationToken);
}
