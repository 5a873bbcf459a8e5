namespace KvmPortal.Web.Components.Pages.Vms.Edit;

public enum DiffKind { Same, Removed, Added }

public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>A plain line diff (longest common subsequence) of old and new text, for the XML editor's preview.</summary>
public static class LineDiff
{
    public static IReadOnlyList<DiffLine> Compute(string oldText, string newText)
    {
        var a = Split(oldText);
        var b = Split(newText);
        // Common prefix and suffix first keep the table small for the usual small edit.
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        var endA = a.Length; var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) { endA--; endB--; }

        var n = endA - start; var m = endB - start;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var result = new List<DiffLine>(a.Length + b.Length);
        result.AddRange(a[..start].Select(l => new DiffLine(DiffKind.Same, l)));
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y]) { result.Add(new(DiffKind.Same, a[start + x])); x++; y++; }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) { result.Add(new(DiffKind.Removed, a[start + x])); x++; }
            else { result.Add(new(DiffKind.Added, b[start + y])); y++; }
        }
        result.AddRange(a[endA..].Select(l => new DiffLine(DiffKind.Same, l)));
        return result;
    }

    private static string[] Split(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
}
