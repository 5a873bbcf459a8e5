using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Jobs;

/// <summary>The real service layer (as the app registers it) with short retry intervals, for tests that need libvirt itself.</summary>
public sealed class RealHypervisor : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public RealHypervisor()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHypervisor();
        services.Configure<HypervisorOptions>(o =>
        {
            o.StatsInterval = TimeSpan.FromSeconds(1);
            o.ConnectTimeout = TimeSpan.FromSeconds(5);
            o.ReconnectMinDelay = TimeSpan.FromMilliseconds(200);
            o.ReconnectMaxDelay = TimeSpan.FromSeconds(2);
        });
        provider = services.BuildServiceProvider();
    }

    public IInventory Inventory => Get<IInventory>();

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public HostDefinition Attach(string name, string uri)
    {
        var host = new HostDefinition(Guid.NewGuid(), name, uri);
        Get<IHostManager>().Attach(host);
        return host;
    }

    /// <summary>Waits (up to a minute) until the inventory satisfies <paramref name="condition"/>.</summary>
    public Task WaitUntilAsync(Func<InventorySnapshot, bool> condition, string what) =>
        Eventually.WaitAsync(() => condition(Inventory.Current), what);

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}

/// <summary>Waits for a condition with a bound, checking it often: a wait for a state, not a timed assertion.</summary>
public static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var bound = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        while (!condition())
        {
            try
            {
                await Task.Delay(50, bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting until {what}.");
            }
        }
    }
}
