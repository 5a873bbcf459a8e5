using System.Globalization;
using KvmPortal.Web.Data;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Audit;

/// <summary>
/// The audit log as CSV (RFC 4180): a header line, then one record per entry, CRLF line ends, fields with a comma,
/// quote or line break quoted with quotes doubled. A field that a spreadsheet would run as a formula (it starts with
/// =, +, -, @, tab or CR) gets a leading apostrophe: names in the log come from users, and an export must not become
/// a way to run a formula on an administrator's desktop.
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

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static Task WriteLineAsync(TextWriter writer, IEnumerable<string?> fields) =>
        writer.WriteAsync(string.Join(',', fields.Select(Field)) + "\r\n");
}
