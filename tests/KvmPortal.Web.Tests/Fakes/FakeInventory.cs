using System.Threading.Channels;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Shared;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>An inventory the test drives: <see cref="Push"/> applies changes and sends them to every subscriber as one batch.</summary>
public sealed class FakeInventory : IInventory
{
    private readonly Lock gate = new();
    private readonly List<Channel<IReadOnlyList<InventoryChange>>> subscribers = [];
    private InventorySnapshot current = InventorySnapshot.Empty;

    public InventorySnapshot Current { get { lock (gate) return current; } }

    public int SubscriberCount { get { lock (gate) return subscribers.Count; } }

    public InventorySubscription Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<InventoryChange>>();
        lock (gate)
        {
            subscribers.Add(channel);
            cancellationToken.Register(() =>
            {
                lock (gate) subscribers.Remove(channel);
                channel.Writer.TryComplete();
            });
            return new InventorySubscription(current, channel.Reader.ReadAllAsync(cancellationToken));
        }
    }

    public void Push(params InventoryChange[] changes)
    {
        lock (gate)
        {
            current = current.Apply(changes);
            foreach (var subscriber in subscribers)
                subscriber.Writer.TryWrite(changes);
        }
    }

    public HostInfo AddHost(string name, HostStatus status = HostStatus.Online, Guid? id = null)
    {
        var host = new HostInfo(id ?? Guid.NewGuid(), name, $"qemu+ssh://{name}/system", status, null, DateTimeOffset.UtcNow, null);
        Push(new HostChanged(host));
        return host;
    }

    public VmInfo AddVm(HostInfo host, string name, VmState state = VmState.Running)
    {
        var vm = new VmInfo(host.Id, Guid.NewGuid(), name, state, 2, 1024UL * 1024 * 1024, state == VmState.Running ? 12.5 : null,
            state == VmState.Running ? DateTimeOffset.UtcNow.AddMinutes(-5) : null, true);
        Push(new VmChanged(vm));
        return vm;
    }
}
