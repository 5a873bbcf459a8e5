using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Access;
using Microsoft.AspNetCore.Components;

namespace KvmPortal.Web.Components.Shared;

/// <summary>
/// A live page: renders <see cref="Snapshot"/>, subscribes to the inventory after the first interactive render,
/// takes the inventory's current snapshot on the renderer's context whenever a change batch arrives and re-renders;
/// the subscription ends on dispose. No polling: the inventory pushes what changed.
/// </summary>
public abstract class InventoryComponentBase : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource lifetime = new();
    private Task listening = Task.CompletedTask;

    [Inject] protected IInventory Inventory { get; set; } = default!;

    [Inject] protected IAccessViewSource AccessSource { get; set; } = default!;

    /// <summary>What the user may do, to show only the controls that will work (the server checks anyway).</summary>
    protected AccessView Access { get; private set; } = AccessView.Nothing;

    protected InventorySnapshot Snapshot { get; private set; } = InventorySnapshot.Empty;

    /// <summary>Cancelled when the component goes away; pass it to calls made on the page's behalf.</summary>
    protected CancellationToken ComponentLifetime => lifetime.Token;

    /// <summary>
    /// Whether the page would look different with the new snapshot; when not, it is not rendered again. Pages that
    /// show a small part of a big inventory say no to most changes, so a change on one host does not re-render every
    /// open list.
    /// </summary>
    protected virtual bool ShowsChangeOf(InventorySnapshot snapshot) => true;

    /// <summary>Called on the renderer's context whenever <see cref="Snapshot"/> changed, before re-rendering.</summary>
    protected virtual Task OnInventoryUpdatedAsync() => Task.CompletedTask;

    // Prerendering shows the current state at once; the live subscription starts once interactive.
    protected override void OnInitialized() => Snapshot = Inventory.Current;

    protected override async Task OnInitializedAsync() => Access = await AccessSource.GetAsync(lifetime.Token);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        var subscription = Inventory.Subscribe(lifetime.Token);
        Snapshot = subscription.Snapshot;
        listening = ListenAsync(subscription.Changes);
        await OnInventoryUpdatedAsync();
        StateHasChanged();
    }

    private async Task ListenAsync(IAsyncEnumerable<IReadOnlyList<InventoryChange>> changes)
    {
        try
        {
            await foreach (var _ in changes.WithCancellation(lifetime.Token))
            {
                await InvokeAsync(async () =>
                {
                    // The inventory's own snapshot already includes this batch: every circuit shares it instead of
                    // building its own copy, and batches that queued up meanwhile are all shown by one render.
                    var current = Inventory.Current;
                    if (ReferenceEquals(current, Snapshot)) return;
                    Snapshot = current;
                    await OnInventoryUpdatedAsync();
                    if (ShowsChangeOf(current)) StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await lifetime.CancelAsync();
        try
        {
            await listening;
        }
        catch (OperationCanceledException)
        {
        }
        lifetime.Dispose();
        GC.SuppressFinalize(this);
    }
}
