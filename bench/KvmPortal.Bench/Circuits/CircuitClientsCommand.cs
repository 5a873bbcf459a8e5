using System.Diagnostics;
using System.Text;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// The headless browsers, in their own process so that the server's memory per circuit is the server's alone.
/// Opens the circuits (bounded parallelism, as many tabs opening at once would), then obeys one command per line
/// on standard input and answers on standard output (see <see cref="CircuitClients"/>, the other end):
/// <c>watch TEXT</c> arms every circuit for its next render batch containing TEXT and answers <c>armed</c>, later
/// <c>seen T1 T2 ...</c> (<see cref="Stopwatch.GetTimestamp"/>, monotonic across processes on Linux) or <c>error ...</c>;
/// <c>stats</c> answers the render batches received and the JS interop calls answered; <c>quit</c> closes them all.
/// </summary>
internal static class CircuitClientsCommand
{
    public const string Name = "circuit-clients";
    public const string CookieVariable = "KVMPORTAL_BENCH_COOKIE";

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = args[0];
        var path = args[1];
        var count = int.Parse(args[2]);
        var parallelism = int.Parse(args[3]);
        var cookie = Environment.GetEnvironmentVariable(CookieVariable)
            ?? throw new InvalidOperationException($"{CookieVariable} is not set.");
        var output = new Output();
        var circuits = new HeadlessCircuit[count];
        try
        {
            using var browser = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
            browser.DefaultRequestHeaders.Add("Cookie", cookie);
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = patience.Token },
                async (i, token) => circuits[i] = await HeadlessCircuit.OpenAsync(browser, baseUrl, path, cookie, token));
            output.Line($"opened {clock.Elapsed.TotalSeconds:F1}");
        }
        catch (Exception e)
        {
            output.Line("error " + OneLine(e));
            return 1;
        }

        while (Console.ReadLine() is { } command)
        {
            if (command.StartsWith("watch ", StringComparison.Ordinal))
            {
                var text = Encoding.UTF8.GetBytes(command["watch ".Length..]);
                var seen = circuits.Select(c => c.NextBatchContaining(text)).ToList();
                output.Line("armed");
                _ = ReportAsync(seen, output);
            }
            else if (command == "stats")
            {
                var calls = circuits.SelectMany(c => c.JsCalls).GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}");
                output.Line($"stats {circuits.Sum(c => c.RenderBatches)} {string.Join(", ", calls)}");
            }
            else if (command == "quit")
            {
                break;
            }
        }
        foreach (var circuit in circuits) await circuit.DisposeAsync();
        return 0;
    }

    private static async Task ReportAsync(List<Task<long>> seen, Output output)
    {
        try
        {
            var times = await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(60));
            output.Line("seen " + string.Join(' ', times));
        }
        catch (Exception e)
        {
            output.Line("error " + OneLine(e));
        }
    }

    private static string OneLine(Exception e) => e.ToString().ReplaceLineEndings(" | ");

    /// <summary>Whole lines to standard output, one writer at a time.</summary>
    private sealed class Output
    {
        private readonly Lock _gate = new();

        public void Line(string line)
        {
            lock (_gate)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }
    }
}
