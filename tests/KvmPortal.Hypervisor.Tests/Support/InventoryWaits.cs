using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Tests.Support;

public static class InventoryWaits
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the inventory satisfies <paramref name="condition"/>, woken by its change stream.</summary>
    public static async Task<InventorySnapshot> WaitForAsync(
        this IInventory inventory, Func<InventorySnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var subscription = inventory.Subscribe(cts.Token);
        if (condition(subscription.Snapshot)) return subscription.Snapshot;
        await foreach (var _ in subscription.Changes)
        {
            var current = inventory.Current;
            if (condition(current)) return current;
        }
        throw new TimeoutException($"Timed out waiting for {what}. Hosts: " +
            string.Join("; ", inventory.Current.Hosts.Values.Select(h => $"{h.Name} {h.Status} {h.StatusMessage}")) +
            ". VMs: " + string.Join("; ", inventory.Current.Vms.Values.Select(v => $"{v.Name} {v.State}")));
    }

    public static Task<InventorySnapshot> WaitForHostAsync(
        this IInventory inventory, HostDefinition host, HostStatus status, TimeSpan? timeout = null) =>
        inventory.WaitForAsync(s => s.Hosts.TryGetValue(host.Id, out var h) && h.Status == status,
            $"host {host.Uri} to be {status}", timeout);

    public static Task<InventorySnapshot> WaitForVmAsync(
        this IInventory inventory, HostDefinition host, string name, Func<VmInfo, bool> condition, string what, TimeSpan? timeout = null) =>
        inventory.WaitForAsync(s => s.Vms.Values.Any(v => v.HostId == host.Id && v.Name == name && condition(v)),
            $"VM {name} on {host.Uri}: {what}", timeout);

    public static VmInfo Vm(this InventorySnapshot snapshot, HostDefinition host, string name) =>
        snapshot.Vms.Values.Single(v => v.HostId == host.Id && v.Name == name);

    public static Task<InventorySnapshot> WaitForNetworkAsync(
        this IInventory inventory, HostDefinition host, string name, Func<NetworkInfo, bool> condition, string what, TimeSpan? timeout = null) =>
        inventory.WaitForAsync(s => s.Networks.Values.Any(n => n.HostId == host.Id && n.Name == name && condition(n)),
            $"network {name} on {host.Uri}: {what}", timeout);

    public static NetworkInfo Network(this InventorySnapshot snapshot, HostDefinition host, string name) =>
        snapshot.Networks.Values.Single(n => n.HostId == host.Id && n.Name == name);
}
