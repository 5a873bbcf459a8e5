namespace KvmPortal.Web.Audit;

public enum DiffKind { Unchanged, Removed, Added }

public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>
/// A line diff by longest common subsequence: the before text's lines that are not in the LCS are removed, the after
/// text's that are not are added. Common leading and trailing lines are taken out first, so the table covers only the
/// changed middle; past <see cref="MaxCells"/> it gives up on alignment and shows the middle as removed then added.
/// </summary>
public static class LineDiff
{
    public const int MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compare(string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;

        var result = new List<DiffLine>(a.Length + b.Length);
        result.AddRange(a[..prefix].Select(line => new DiffLine(DiffKind.Unchanged, line)));
        var oldMiddle = a[prefix..^suffix];
        var newMiddle = b[prefix..^suffix];
        if ((long)(oldMiddle.Length + 1) * (newMiddle.Length + 1) > MaxCells)
        {
            result.AddRange(oldMiddle.Select(line => new DiffLine(DiffKind.Removed, line)));
            result.AddRange(newMiddle.Select(line => new DiffLine(DiffKind.Added, line)));
        }
        else
        {
            AlignMiddle(oldMiddle, newMiddle, result);
        }
        result.AddRange(a[^suffix..].Select(line => new DiffLine(DiffKind.Unchanged, line)));
        return result;
    }

    private static void AlignMiddle(string[] a, string[] b, List<DiffLine> result)
    {
        // common[i, j] = length of the LCS of a[i..] and b[j..], so the walk below can go forwards.
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add(new DiffLine(DiffKind.Unchanged, a[x++]));
                y++;
            }
            else if (common[x + 1, y] >= common[x, y + 1])
            {
                result.Add(new DiffLine(DiffKind.Removed, a[x++]));
            }
            else
            {
                result.Add(new DiffLine(DiffKind.Added, b[y++]));
            }
        }
        while (x < a.Length) result.Add(new DiffLine(DiffKind.Removed, a[x++]));
        while (y < b.Length) result.Add(new DiffLine(DiffKind.Added, b[y++]));
    }

    /// <summary>The text's lines, whatever its line endings; a final line break does not make an empty last line.</summary>
    private static string[] Lines(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
