using System.Globalization;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Components.Shared;

/// <summary>How numbers, durations and states read on the pages.</summary>
public static class Formatting
{
    private const double MiB = 1024 * 1024, GiB = MiB * 1024;

    public static string Memory(ulong bytes) =>
        bytes >= GiB
            ? (bytes / GiB).ToString("0.#", CultureInfo.CurrentCulture) + " GiB"
            : (bytes / MiB).ToString("0", CultureInfo.CurrentCulture) + " MiB";

    public static string GiBytes(ulong bytes) => (bytes / GiB).ToString("0.0", CultureInfo.CurrentCulture) + " GiB";

    public static string CpuPercent(double? percent) =>
        percent is { } p ? p.ToString("0.0", CultureInfo.CurrentCulture) + " %" : "";

    public static string Uptime(DateTimeOffset? runningSince, DateTimeOffset now, IStringLocalizer<Strings> text)
    {
        if (runningSince is not { } since)
            return "";
        var up = now - since;
        if (up < TimeSpan.Zero)
            up = TimeSpan.Zero;
        return up.TotalDays >= 1 ? text["UptimeDays", (int)up.TotalDays, up.Hours]
            : up.TotalHours >= 1 ? text["UptimeHours", up.Hours, up.Minutes]
            : up.TotalMinutes >= 1 ? text["UptimeMinutes", up.Minutes, up.Seconds]
            : text["UptimeSeconds", up.Seconds];
    }

    /// <summary>The state as virsh names it ("running", "shut off", ...); browser tests match this text.</summary>
    public static string State(VmState state, IStringLocalizer<Strings> text) => text[$"VmState{state}"];

    public static MudBlazor.Color StateColor(VmState state) => state switch
    {
        VmState.Running => MudBlazor.Color.Success,
        VmState.Paused or VmState.Suspended => MudBlazor.Color.Warning,
        VmState.ShuttingDown or VmState.Blocked => MudBlazor.Color.Info,
        VmState.Crashed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    public static string HostStatus(HostStatus status, IStringLocalizer<Strings> text) => text[$"HostStatus{status}"];

    public static MudBlazor.Color HostStatusColor(HostStatus status) => status switch
    {
        Hypervisor.Hosts.HostStatus.Online => MudBlazor.Color.Success,
        Hypervisor.Hosts.HostStatus.Offline => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Info,
    };
}
