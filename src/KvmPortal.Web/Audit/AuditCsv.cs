using System.Globalization;
using KvmPortal.Web.Csv;
using KvmPortal.Web.Data;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Audit;

/// <summary>
/// The audit log as CSV (<see cref="RfcCsv"/>: RFC 4180, formulas defused): a header line, then one record per entry.
/// </summary>
public static class AuditCsv
{
    /// <summary>The columns' stable names; the English header is exactly these, for scripts.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "time", "actor", "actor_id", "source_ip", "action", "result", "host", "host_id", "vm", "vm_uuid",
        "pool", "volume", "network", "other_target", "parameters", "error", "xml_before", "xml_after",
    ];

    /// <summary>The header line in the reader's language (resources AuditCsvColumn_*).</summary>
    public static IReadOnlyList<string> HeaderIn(IStringLocalizer<Strings> text) =>
        [.. Columns.Select(column => text[$"AuditCsvColumn_{column}"].Value)];

    public static async Task WriteAsync(IAsyncEnumerable<AuditRecord> entries, IReadOnlyList<string> header, TextWriter writer,
        CancellationToken cancellationToken = default)
    {
        await WriteLineAsync(writer, header);
        var written = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            await WriteLineAsync(writer, Fields(entry));
            if (++written % 200 == 0)
                await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static IReadOnlyList<string?> Fields(AuditRecord entry) =>
    [
        entry.Id.ToString(CultureInfo.InvariantCulture),
        entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        entry.ActorName, entry.ActorId, entry.SourceIp, entry.Action, entry.Succeeded ? "ok" : "failed",
        entry.HostName, entry.HostId?.ToString(), entry.VmName, entry.VmUuid?.ToString(),
        entry.Pool, entry.Volume, entry.Network, entry.OtherTarget, entry.Parameters, entry.Error, entry.XmlBefore, entry.XmlAfter,
    ];

    public static string Field(string? value) => RfcCsv.Field(value);

    private static Task WriteLineAsync(TextWriter writer, IEnumerable<string?> fields) => writer.WriteAsync(RfcCsv.Line(fields));
}
