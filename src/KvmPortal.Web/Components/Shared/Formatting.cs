using System.Globalization;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Components.Shared;

/// <summary>
/// How numbers, sizes, dates, durations and states read on the pages, in the current culture (the request's, or
/// the circuit's: set from the culture cookie or Accept-Language).
/// </summary>
public static class Formatting
{
    private const double MiB = 1024 * 1024, GiB = MiB * 1024;

    /// <summary>A point in time in the server's time zone, short date and time as the culture writes them.</summary>
    public static string DateTime(DateTimeOffset value) => value.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);

    public static string Memory(ulong bytes) =>
        bytes >= GiB
            ? (bytes / GiB).ToString("0.#", CultureInfo.CurrentCulture) + " GiB"
            : (bytes / MiB).ToString("0", CultureInfo.CurrentCulture) + " MiB";

    /// <summary>A byte count for traffic figures: "512 B", "1.5 KiB", "3.2 MiB", "1.1 GiB".</summary>
    public static string Bytes(long bytes) =>
        bytes >= (long)GiB ? (bytes / (double)GiB).ToString("0.0", CultureInfo.CurrentCulture) + " GiB"
        : bytes >= (long)MiB ? (bytes / (double)MiB).ToString("0.0", CultureInfo.CurrentCulture) + " MiB"
        : bytes >= 1024 ? (bytes / 1024.0).ToString("0.0", CultureInfo.CurrentCulture) + " KiB"
        : bytes.ToString(CultureInfo.CurrentCulture) + " B";

    /// <summary>A ratio such as an overcommit: "1.50".</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.CurrentCulture);

    public static string GiBytes(ulong bytes) => (bytes / GiB).ToString("0.0", CultureInfo.CurrentCulture) + " GiB";

    /// <summary>"12.5%" with the culture's decimal separator and percent pattern.</summary>
    public static string CpuPercent(double? percent) =>
        percent is { } p ? (p / 100).ToString("P1", CultureInfo.CurrentCulture) : "";

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

    /// <summary>The state in the user's language (virsh's words in English: "running", "shut off", ...).</summary>
    public static string State(VmState state, IStringLocalizer<Strings> text) => text[$"VmState{state}"];

    /// <summary>
    /// The state as a stable, language-neutral id for the chip's data-state ("running", "shut-off", ...);
    /// tests and scripts match this, not the translated text.
    /// </summary>
    public static string StateId(VmState state) => state switch
    {
        VmState.NoState => "no-state",
        VmState.ShuttingDown => "shutting-down",
        VmState.ShutOff => "shut-off",
        _ => state.ToString().ToLowerInvariant(),
    };

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
