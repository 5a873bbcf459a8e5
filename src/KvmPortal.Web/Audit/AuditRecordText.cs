using System.Text.Json;
using KvmPortal.Web.Data;

namespace KvmPortal.Web.Audit;

/// <summary>How the audit page shows an entry's target and parameters.</summary>
public static class AuditRecordText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The target's parts that are set, most specific last: "host-a / web-1 (uuid) / pool default".</summary>
    public static string Target(AuditRecord entry)
    {
        var parts = new List<string>();
        if (entry.HostName is { } host) parts.Add(host);
        else if (entry.HostId is { } hostId) parts.Add(hostId.ToString());
        if (entry.VmName is { } vm) parts.Add(entry.VmUuid is { } uuid ? $"{vm} ({uuid})" : vm);
        else if (entry.VmUuid is { } vmUuid) parts.Add(vmUuid.ToString());
        if (entry.Pool is { } pool) parts.Add(entry.Volume is { } volume ? $"{pool}/{volume}" : pool);
        else if (entry.Volume is { } volumeOnly) parts.Add(volumeOnly);
        if (entry.Network is { } network) parts.Add(network);
        if (entry.OtherTarget is { } other) parts.Add(other);
        return string.Join(" / ", parts);
    }

    /// <summary>The parameters JSON indented for reading; as stored when it does not parse.</summary>
    public static string? Parameters(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
