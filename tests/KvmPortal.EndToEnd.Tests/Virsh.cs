using System.Diagnostics;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>virsh on the real local host: how an administrator changes things behind the dashboard's back.</summary>
public static class Virsh
{
    public static Task<string> RunAsync(params string[] args) => RunOnAsync("qemu:///system", args);

    /// <summary>virsh against the host at <paramref name="uri"/> (e.g. the second test host).</summary>
    public static async Task<string> RunOnAsync(string uri, params string[] args)
    {
        var start = new ProcessStartInfo("virsh", ["-c", uri, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("virsh did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"virsh -c {uri} {string.Join(' ', args)} failed: {error}");
        return output.Trim();
    }
}

public static class VirshWaits
{
    /// <summary>Polls the host until <paramref name="condition"/> holds (an operation's effect), failing after 30 s.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The host never showed: {what}");
            await Task.Delay(250);
        }
    }

    public static async Task<System.Xml.Linq.XElement> InactiveXmlAsync(string domain) =>
        System.Xml.Linq.XElement.Parse(await Virsh.RunAsync("dumpxml", "--inactive", domain));
}
