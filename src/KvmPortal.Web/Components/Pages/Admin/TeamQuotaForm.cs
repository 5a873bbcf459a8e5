using System.Globalization;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Components.Pages.Admin;

/// <summary>
/// The quota fields of one team as typed: an empty field is "no limit", anything else must be a whole number from 1
/// up. <see cref="Validate"/> gives the limits, or null with a message under each wrong field.
/// </summary>
public sealed class TeamQuotaForm
{
    public string Vms { get; set; } = "";
    public string Vcpus { get; set; } = "";
    public string MemoryMib { get; set; } = "";
    public string DiskGib { get; set; } = "";
    public bool CountsRunningOnly { get; set; }

    public Dictionary<QuotaKind, string> Errors { get; } = [];

    public static TeamQuotaForm From(TeamQuota quota) => new()
    {
        Vms = Text(quota.MaxVms),
        Vcpus = Text(quota.MaxVcpus),
        MemoryMib = Text(quota.MaxMemoryMib),
        DiskGib = Text(quota.MaxDiskGib),
        CountsRunningOnly = quota.CountsRunningOnly,
    };

    public TeamQuotaLimits? Validate(IStringLocalizer<Strings> text)
    {
        Errors.Clear();
        var vms = Parse(QuotaKind.Vms, Vms, int.MaxValue, text);
        var vcpus = Parse(QuotaKind.Vcpus, Vcpus, int.MaxValue, text);
        // At most what a byte count holds, so the limit can be compared with libvirt's sizes.
        var memory = Parse(QuotaKind.Memory, MemoryMib, (long)(ulong.MaxValue / TeamQuota.MiB / 2), text);
        var disk = Parse(QuotaKind.Disk, DiskGib, (long)(ulong.MaxValue / TeamQuota.GiB / 2), text);
        return Errors.Count > 0 ? null : new TeamQuotaLimits((int?)vcpus, memory, disk, (int?)vms, CountsRunningOnly);
    }

    private long? Parse(QuotaKind kind, string value, long max, IStringLocalizer<Strings> text)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= max)
            return number;
        Errors[kind] = text["QuotaInvalidNumber", max.ToString("N0", CultureInfo.CurrentCulture)];
        return null;
    }

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
