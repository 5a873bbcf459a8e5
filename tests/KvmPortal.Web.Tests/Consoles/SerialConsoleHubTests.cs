using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Consoles;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Consoles;

/// <summary>
/// The hub on the running demo guest (KVMPORTAL_DEMO_VM on qemu:///system, as deploy/test.sh starts it): viewers of
/// one device share one libvirt console, which closes when the last leaves.
/// </summary>
public sealed class SerialConsoleHubTests
{
    [Fact]
    public async Task Viewers_of_a_device_share_one_libvirt_console_that_closes_when_the_last_leaves()
    {
        var demoVm = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM")
            ?? throw new InvalidOperationException("Set KVMPORTAL_DEMO_VM to the running demo guest (deploy/test.sh does).");
        await using var services = new ServiceCollection().AddLogging().AddHypervisor().BuildServiceProvider();
        var host = new HostDefinition(Guid.NewGuid(), "local", "qemu:///system");
        services.GetRequiredService<IHostManager>().Attach(host);
        var vm = await RunningVmAsync(services.GetRequiredService<IInventory>(), host.Id, demoVm);
        var consoles = services.GetRequiredService<ISerialConsoles>();
        var hub = new SerialConsoleHub(consoles);

        var first = await hub.AttachAsync(vm, null, CancellationToken.None);
        var second = await hub.AttachAsync(vm, first.Device.Alias, CancellationToken.None);
        Assert.Equal(first.Device, second.Device);
        // The hub holds the one console libvirt allows: a direct open is refused while the viewers are there.
        var busy = await Assert.ThrowsAsync<HypervisorException>(() => consoles.OpenAsync(vm, null, takeOver: false));
        Assert.Equal(HypervisorErrorKind.ConsoleInUse, busy.Kind);

        await first.DisposeAsync();
        await Assert.ThrowsAsync<HypervisorException>(() => consoles.OpenAsync(vm, null, takeOver: false)); // one still watches
        await second.DisposeAsync();

        await using (await consoles.OpenAsync(vm, null, takeOver: false)) { } // closed with the last viewer
        await using var again = await hub.AttachAsync(vm, null, CancellationToken.None); // and the hub opens it anew
        Assert.Equal(first.Device.Alias, again.Device.Alias);
    }

    private static async Task<VmKey> RunningVmAsync(IInventory inventory, Guid hostId, string name)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var subscription = inventory.Subscribe(patience.Token);
        if (Find(subscription.Snapshot) is { } key) return key;
        await foreach (var _ in subscription.Changes)
            if (Find(inventory.Current) is { } found) return found;
        throw new InvalidOperationException("unreachable");

        VmKey? Find(InventorySnapshot snapshot) => snapshot.Vms.Values
            .FirstOrDefault(v => v.HostId == hostId && v.Name == name && v.State == VmState.Running)?.Key;
    }
}
