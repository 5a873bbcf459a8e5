using System.Diagnostics;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// The real web app in process with 50 simulated hosts x 100 VMs plus qemu:///system, signed in through the
/// login form, with 200 headless circuits on the VM list: (a) how long a lifecycle change on one host takes to
/// reach every circuit as a render batch, next to the floor of the app's own inventory seeing it; (b) server
/// memory per idle circuit; then (c) the first render of the list in Chromium. Needs PostgreSQL
/// (KVMPORTAL_TEST_DB, which bench/run.sh sets).
/// </summary>
public static class CircuitsBenchmark
{
    private const double LatencyTargetMs = 250;
    private const double MemoryTargetBytes = 1 << 20;
    private const double FirstRenderTargetMs = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var hosts = BenchOptions.Int(args, "--hosts", 50);
        var vmsPerHost = BenchOptions.Int(args, "--vms", 100);
        var circuitCount = BenchOptions.Int(args, "--circuits", 200);
        var changes = BenchOptions.Int(args, "--changes", 20);
        var renders = BenchOptions.Int(args, "--renders", 5);
        var parallelism = BenchOptions.Int(args, "--parallelism", 8);
        var serverLog = BenchOptions.String(args, "--server-log");
        var server = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: bench/run.sh sets it after starting PostgreSQL.");

        using var simulated = new SimulatedHosts(hosts, vmsPerHost);
        await using var portal = await InProcessPortal.StartAsync(server, simulated.Uris, LogSettings(serverLog));
        var inventory = portal.Services.GetRequiredService<IInventory>();
        var vmCount = await WaitForAllVmsAsync(inventory, hosts * vmsPerHost, hosts + 1);
        var target = inventory.Current.Vms.Values.Single(v => v.Name == "host01-vm001").Key;
        var cookie = await LoginForm.SignInAsync(portal.BaseUrl, portal.AdminUserName, portal.AdminPassword);
        Console.WriteLine($"circuits: {hosts + 1} hosts, {vmCount} VMs; {circuitCount} headless circuits on /vms (own process, {parallelism} opening at once); " +
            $"{changes} changes (pause of host01-vm001); load average {LoadAverage()}");

        var before = MemoryNow();
        var (clients, openSeconds) = await CircuitClients.OpenAsync(portal.BaseUrl, "/vms", cookie, circuitCount, parallelism);
        Console.WriteLine($"  opened {circuitCount} circuits in {openSeconds:F1} s; load average {LoadAverage()}");
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the first renders and interop settle
        var after = MemoryNow();

        await using var administrator = await portal.AdministratorScopeAsync();
        var operations = administrator.ServiceProvider.GetRequiredService<IVmOperations>();
        using var libvirtPauses = new PauseCallTimes();
        var operationMs = new List<double>();
        var inventoryMs = new List<double>();
        var circuitMs = new List<double>();
        for (var change = 0; change < changes; change++)
        {
            var (operation, floor, reached) = await TimeChangeAsync(inventory, operations, target, clients);
            operationMs.Add(operation);
            inventoryMs.Add(floor);
            circuitMs.AddRange(reached);
            // Every circuit renders the resume before the next change.
            var resumed = await clients.WatchAsync("running");
            await operations.ExecuteAsync(target, VmAction.Resume);
            await resumed;
        }
        var stats = await clients.StatsAsync();
        await clients.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the server disposes the closed circuits
        var closed = MemoryNow();

        var heapPerCircuit = (after.Heap - before.Heap) / (double)circuitCount;
        var workingSetPerCircuit = (after.WorkingSet - before.WorkingSet) / (double)circuitCount;
        Console.WriteLine($"change latency over {circuitMs.Count} deliveries: p50 {Percentile(circuitMs, 50):F1} ms, p95 {Percentile(circuitMs, 95):F1} ms, max {circuitMs.Max():F1} ms; load average {LoadAverage()}");
        Console.WriteLine($"  floor (the app's inventory sees the change): p50 {Percentile(inventoryMs, 50):F1} ms, p95 {Percentile(inventoryMs, 95):F1} ms; " +
            $"of which the pause call itself: p50 {Percentile(operationMs, 50):F1} ms, p95 {Percentile(operationMs, 95):F1} ms, " +
            $"and of that its libvirt call (queued to the thread pool, libvirt's answer): p50 {Percentile(libvirtPauses.Milliseconds, 50):F1} ms, p95 {Percentile(libvirtPauses.Milliseconds, 95):F1} ms");
        Console.WriteLine($"  ratios: p95 to target {Percentile(circuitMs, 95) / LatencyTargetMs:F2} (target <= 1, 250 ms), p95 to floor p95 {Percentile(circuitMs, 95) / Percentile(inventoryMs, 95):F2}");
        Console.WriteLine($"memory per idle circuit (server process only, after a full GC): managed heap {heapPerCircuit / 1024:F0} KiB, working set {workingSetPerCircuit / 1024:F0} KiB " +
            $"(ratio to 1 MiB target {heapPerCircuit / MemoryTargetBytes:F2} / {workingSetPerCircuit / MemoryTargetBytes:F2}); " +
            $"heap before {before.Heap >> 20} MiB, with the circuits {after.Heap >> 20} MiB, after closing them {closed.Heap >> 20} MiB");
        Console.WriteLine($"  clients: render batches, JS interop calls: {stats}");

        var firstRender = await FirstRenderBenchmark.RunAsync(portal.BaseUrl, cookie, renders);
        Console.WriteLine($"first render of /vms in Chromium, median of {renders}: first VM row {firstRender.RowMs:F0} ms, interactive {firstRender.InteractiveMs:F0} ms " +
            $"(ratio to 1 s target {firstRender.RowMs / FirstRenderTargetMs:F2} / {firstRender.InteractiveMs / FirstRenderTargetMs:F2})");
        return 0;
    }

    /// <summary>Log levels for diagnosing the circuits (SignalR, Blazor Server), or none.</summary>
    private static Dictionary<string, string?>? LogSettings(string? level) => level is null ? null : new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR"] = level,
        ["Logging:LogLevel:Microsoft.AspNetCore.Http.Connections"] = level,
        ["Logging:LogLevel:Microsoft.AspNetCore.Components.Server"] = level,
        ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel.Connections"] = level,
    };

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Pauses the VM through the app's own connection; ms until its inventory shows it and until each circuit renders it.</summary>
    /// The operation's own time (access check, audit entry, the libvirt call) is part of the floor.
    private static async Task<(double Operation, double Inventory, IEnumerable<double> Circuits)> TimeChangeAsync(
        IInventory inventory, IVmOperations operations, VmKey target, CircuitClients clients)
    {
        var seen = await clients.WatchAsync("paused");
        var start = Stopwatch.GetTimestamp();
        var inventorySaw = WaitForStateAsync(inventory, target, VmState.Paused);
        await operations.ExecuteAsync(target, VmAction.Pause);
        var operation = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var floor = Stopwatch.GetElapsedTime(start, await inventorySaw).TotalMilliseconds;
        var times = await seen;
        return (operation, floor, times.Select(t => Stopwatch.GetElapsedTime(start, t).TotalMilliseconds));
    }

    /// <summary>Completes with the timestamp at which the inventory shows the VM in <paramref name="state"/>.</summary>
    private static async Task<long> WaitForStateAsync(IInventory inventory, VmKey vm, VmState state)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var subscription = inventory.Subscribe(patience.Token);
        if (subscription.Snapshot.Vms.GetValueOrDefault(vm)?.State == state)
            return Stopwatch.GetTimestamp();
        await foreach (var changes in subscription.Changes)
        {
            if (changes.OfType<VmChanged>().Any(c => c.Vm.Key == vm && c.Vm.State == state))
                return Stopwatch.GetTimestamp();
        }
        throw new TimeoutException($"The inventory did not show {vm} {state} within 30 s.");
    }

    private static async Task<int> WaitForAllVmsAsync(IInventory inventory, int simulatedVms, int hostCount)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var snapshot = inventory.Current;
            if (snapshot.Hosts.Count == hostCount && snapshot.Hosts.Values.All(h => h.Status == HostStatus.Online) && snapshot.Vms.Count >= simulatedVms)
                return snapshot.Vms.Count;
            await Task.Delay(200, patience.Token);
        }
    }

    private static (long Heap, long WorkingSet) MemoryNow()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
