namespace KvmPortal.Web.Csv;

/// <summary>
/// CSV lines as RFC 4180 has them: CRLF line ends, fields with a comma, quote or line break quoted with quotes doubled.
/// A field that a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR) gets a leading apostrophe:
/// names in exports come from users, and an export must not become a way to run a formula on a reader's desktop.
/// Numbers are written by the callers in the invariant culture, never negative, so they are not touched.
/// </summary>
public static class RfcCsv
{
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>One record with its CRLF.</summary>
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";
}
