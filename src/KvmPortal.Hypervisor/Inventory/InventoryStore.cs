using System.Threading.Channels;

namespace KvmPortal.Hypervisor.Inventory;

/// <summary>
/// Holds the current snapshot and fans every effective change batch out to the subscribers.
/// Snapshot and fan-out happen under one lock, so a subscriber sees its snapshot followed by
/// exactly the batches applied after it.
/// </summary>
internal sealed class InventoryStore : IInventory
{
    private readonly Lock _gate = new();
    private readonly List<ChannelWriter<IReadOnlyList<InventoryChange>>> _subscribers = [];
    private InventorySnapshot _current = InventorySnapshot.Empty;

    public InventorySnapshot Current => Volatile.Read(ref _current);

    public InventorySubscription Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<InventoryChange>>(
            new UnboundedChannelOptions { SingleReader = true });
        InventorySnapshot snapshot;
        lock (_gate)
        {
            snapshot = _current;
            _subscribers.Add(channel.Writer);
        }

        // Unsubscribing on the token (not in the enumerator's finally) also covers a subscriber
        // that never starts enumerating. Completing the channel ends the stream without an exception.
        cancellationToken.Register(() =>
        {
            lock (_gate) _subscribers.Remove(channel.Writer);
            channel.Writer.TryComplete();
        });
        return new InventorySubscription(snapshot, channel.Reader.ReadAllAsync(CancellationToken.None));
    }

    /// <summary>Applies the changes that differ from the current state and publishes them as one batch.</summary>
    public void Publish(IEnumerable<InventoryChange> changes)
    {
        lock (_gate)
        {
            var next = _current.Apply(changes, out var effective);
            if (effective.Count == 0) return;

            Volatile.Write(ref _current, next);
            foreach (var subscriber in _subscribers) subscriber.TryWrite(effective);
        }
    }
}
