using System.Diagnostics;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmPortal.Bench;

/// <summary>
/// How long the dashboard takes from start to a complete inventory (every host online, every VM with its
/// state) compared with the floor an administrator has without it: `virsh list --all` and `virsh domstats`
/// against each host, one after another.
/// </summary>
public static class InventoryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var hosts = BenchOptions.Int(args, "--hosts", 50);
        var vmsPerHost = BenchOptions.Int(args, "--vms", 100);
        var runs = BenchOptions.Int(args, "--runs", 3);
        using var simulated = new SimulatedHosts(hosts, vmsPerHost);
        var uris = simulated.Uris.Append("qemu:///system").ToList();
        var expectedVms = await CountVmsWithVirshAsync(uris);
        Console.WriteLine($"inventory: {hosts} simulated hosts x {vmsPerHost} VMs + qemu:///system = {uris.Count} hosts, {expectedVms} VMs; best of {runs} runs");

        var ours = TimeSpan.MaxValue;
        var floor = TimeSpan.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var o = await TimeInventoryAsync(uris, expectedVms);
            var f = await TimeVirshAsync(uris);
            Console.WriteLine($"  run {run + 1}: KvmPortal {o.TotalMilliseconds,8:F0} ms   virsh list+domstats {f.TotalMilliseconds,8:F0} ms");
            ours = o < ours ? o : ours;
            floor = f < floor ? f : floor;
        }
        Console.WriteLine($"inventory to complete snapshot: KvmPortal {ours.TotalMilliseconds:F0} ms, virsh floor {floor.TotalMilliseconds:F0} ms, ratio {ours / floor:F2}x (target <= 1.5x)");
        return 0;
    }

    private static async Task<TimeSpan> TimeInventoryAsync(IReadOnlyList<string> uris, int expectedVms)
    {
        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddHypervisor()
            .BuildServiceProvider();
        var inventory = services.GetRequiredService<IInventory>();
        var hostManager = services.GetRequiredService<IHostManager>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var subscription = inventory.Subscribe(timeout.Token);

        var clock = Stopwatch.StartNew();
        foreach (var uri in uris) hostManager.Attach(new HostDefinition(Guid.NewGuid(), uri, uri));
        await foreach (var _ in subscription.Changes)
        {
            var snapshot = inventory.Current;
            if (snapshot.Hosts.Count == uris.Count && snapshot.Hosts.Values.All(h => h.Status == HostStatus.Online)
                && snapshot.Vms.Count >= expectedVms)
                return clock.Elapsed;
        }
        throw new TimeoutException($"The inventory did not complete: {inventory.Current.Vms.Count} of {expectedVms} VMs.");
    }

    private static async Task<TimeSpan> TimeVirshAsync(IReadOnlyList<string> uris)
    {
        var clock = Stopwatch.StartNew();
        foreach (var uri in uris)
        {
            await VirshAsync(uri, "list", "--all");
            await VirshAsync(uri, "domstats");
        }
        return clock.Elapsed;
    }

    private static async Task<int> CountVmsWithVirshAsync(IEnumerable<string> uris)
    {
        var count = 0;
        foreach (var uri in uris)
            count += (await VirshAsync(uri, "list", "--all", "--name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return count;
    }

    private static async Task<string> VirshAsync(string uri, params string[] args)
    {
        var start = new ProcessStartInfo("virsh", ["-c", uri, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("virsh did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"virsh -c {uri} {string.Join(' ', args)} failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
