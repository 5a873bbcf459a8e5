using KvmPortal.Bench;
using KvmPortal.Bench.Circuits;

// Benchmarks of KvmPortal, each side by side with a peer in the same run and reported as a ratio.
return args switch
{
    ["inventory", ..] => await InventoryBenchmark.RunAsync(args[1..]),
    ["volumes", ..] => await VolumesBenchmark.RunAsync(args[1..]),
    ["console", ..] => await ConsoleBenchmark.RunAsync(args[1..]),
    ["usage-write", ..] => await UsageWriteBenchmark.RunAsync(args[1..]),
    ["usage-queries", ..] => await UsageQueriesBenchmark.RunAsync(args[1..]),
    ["circuits", ..] => await CircuitsBenchmark.RunAsync(args[1..]),
    ["load", ..] => await LoadBenchmark.RunAsync(args[1..]),
    [CircuitClientsCommand.Name, ..] => await CircuitClientsCommand.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench/run.sh inventory [--hosts N] [--vms N] [--runs N]");
    Console.Error.WriteLine("       bench/run.sh volumes [--mib 1024] [--runs 5] [--stages [--only TEXT] | --ranges]");
    Console.Error.WriteLine("       bench/run.sh console [--runs 3] [--mib 128] [--streams 50] [--upload-mib 64] [--round-trips 1000] [--connects 100] [--idle 200] [--closing 500]");
    Console.Error.WriteLine("       bench/run.sh usage-write [--vms 1000] [--intervals 30]");
    Console.Error.WriteLine("       bench/run.sh usage-queries [--vms 1000] [--days 30] [--team-vms 200] [--runs 7] [--keep]");
    Console.Error.WriteLine("       bench/run.sh circuits [--hosts 50] [--vms 100] [--circuits 200] [--changes 20] [--renders 5] [--parallelism 8] [--server-log Debug]");
    Console.Error.WriteLine("       bench/run.sh load [--circuits 100] [--consoles 20] [--minutes 10]");
    return 2;
}
