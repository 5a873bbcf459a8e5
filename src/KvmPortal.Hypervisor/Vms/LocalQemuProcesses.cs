using System.Globalization;

namespace KvmPortal.Hypervisor.Vms;

/// <summary>
/// libvirt has no API for a domain's start time. On the local system host we can read it from the QEMU
/// process that libvirt's pid file names; for remote hosts the start is only known once we see it happen.
/// </summary>
internal static class LocalQemuProcesses
{
    private const string PidFolder = "/run/libvirt/qemu";

    // The kernel reports process start times in USER_HZ ticks, which is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static DateTimeOffset? StartTime(string domainName)
    {
        try
        {
            var pidFile = Path.Combine(PidFolder, domainName + ".pid");
            if (domainName.Contains('/') || !File.Exists(pidFile)) return null;
            var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);

            // Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces, so count after its ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var startTicks = ulong.Parse(fields[19], CultureInfo.InvariantCulture);

            var bootLine = File.ReadLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal));
            var bootTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(bootLine[6..], CultureInfo.InvariantCulture));
            return bootTime.AddSeconds(startTicks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
