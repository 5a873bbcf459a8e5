using System.Diagnostics;
using Xunit.Sdk;

namespace KvmPortal.Libvirt.Tests;

/// <summary>Drives libvirtd's client list through virt-admin (shipped with virsh in libvirt-clients).</summary>
internal static class VirtAdmin
{
    /// <summary>IDs of the daemon's clients that belong to this test process.</summary>
    public static IReadOnlySet<string> OwnClientIds()
    {
        var ids = new HashSet<string>();
        foreach (string line in Run("srv-clients-list libvirtd").Split('\n').Skip(2))
        {
            string id = line.Trim().Split(' ', 2)[0];
            if (id.Length > 0 && id.All(char.IsAsciiDigit)
                && Run($"client-info libvirtd {id}").Contains($"unix_process_id: {Environment.ProcessId}\n"))
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    public static void Disconnect(string clientId) => Run($"client-disconnect libvirtd {clientId}");

    private static string Run(string arguments)
    {
        var start = new ProcessStartInfo("virt-admin", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new XunitException("could not start virt-admin");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new XunitException($"virt-admin {arguments} failed ({process.ExitCode}): {error.Result}");
        }
        return output;
    }
}
