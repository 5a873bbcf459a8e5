using System.Diagnostics;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>virsh on the real local host: how an administrator changes things behind the dashboard's back.</summary>
public static class Virsh
{
    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("virsh", ["-c", "qemu:///system", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("virsh did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"virsh {string.Join(' ', args)} failed: {error}");
        return output.Trim();
    }
}
