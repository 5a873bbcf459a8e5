using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests;

public sealed class InventoryStoreTests
{
    private static readonly Guid HostId = Guid.NewGuid();

    private static VmInfo Vm(string name, VmState state, Guid? uuid = null) =>
        new(HostId, uuid ?? Guid.NewGuid(), name, state, 1, 1 << 30, null, null, true);

    [Fact]
    public async Task ASubscriberGetsTheSnapshotThenEveryLaterBatch()
    {
        var store = new InventoryStore();
        var first = Vm("a", VmState.Running);
        store.Publish([new VmChanged(first)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var subscription = store.Subscribe(cts.Token);
        var second = Vm("b", VmState.ShutOff);
        store.Publish([new VmChanged(second)]);
        store.Publish([new VmRemoved(first.Key)]);

        Assert.Equal([first.Key], subscription.Snapshot.Vms.Keys);
        await using var changes = subscription.Changes.GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal([new VmChanged(second)], changes.Current);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal([new VmRemoved(first.Key)], changes.Current);
        Assert.Equal([second.Key], store.Current.Vms.Keys);
    }

    [Fact]
    public async Task ChangesThatChangeNothingAreNotPublished()
    {
        var store = new InventoryStore();
        var vm = Vm("a", VmState.Running);
        store.Publish([new VmChanged(vm)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var subscription = store.Subscribe(cts.Token);

        store.Publish([new VmChanged(vm with { }), new VmRemoved(new VmKey(HostId, Guid.NewGuid()))]);
        store.Publish([new VmChanged(vm with { State = VmState.Paused })]);

        await using var changes = subscription.Changes.GetAsyncEnumerator();
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal([new VmChanged(vm with { State = VmState.Paused })], changes.Current);
    }

    [Fact]
    public async Task CancellingEndsTheStreamAndUnsubscribes()
    {
        var store = new InventoryStore();
        using var cts = new CancellationTokenSource();
        var subscription = store.Subscribe(cts.Token);

        await cts.CancelAsync();
        store.Publish([new HostChanged(new HostInfo(HostId, "h", "test:///default", HostStatus.Online, null, DateTimeOffset.UtcNow, null))]);

        var batches = 0;
        await foreach (var _ in subscription.Changes) batches++;
        Assert.Equal(0, batches);
    }
}
