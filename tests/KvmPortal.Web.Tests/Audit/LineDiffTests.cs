using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Tests.Audit;

public sealed class LineDiffTests
{
    private static string Render(IEnumerable<DiffLine> lines) =>
        string.Join("|", lines.Select(l => (l.Kind switch { DiffKind.Added => "+", DiffKind.Removed => "-", _ => " " }) + l.Text));

    [Fact]
    public void Equal_texts_are_all_unchanged()
    {
        Assert.Equal(" a| b| c", Render(LineDiff.Compare("a\nb\nc", "a\nb\nc")));
    }

    [Fact]
    public void A_changed_line_in_the_middle_is_removed_then_added()
    {
        Assert.Equal(" <domain>|-  <memory>1024</memory>|+  <memory>2048</memory>| </domain>",
            Render(LineDiff.Compare("<domain>\n  <memory>1024</memory>\n</domain>", "<domain>\n  <memory>2048</memory>\n</domain>")));
    }

    [Fact]
    public void Insertions_and_deletions_keep_the_longest_common_subsequence()
    {
        // LCS of a b c d e f and a c d x f is a c d f (four lines kept).
        var diff = LineDiff.Compare("a\nb\nc\nd\ne\nf", "a\nc\nd\nx\nf");

        Assert.Equal(" a|-b| c| d|-e|+x| f", Render(diff));
        Assert.Equal(4, diff.Count(l => l.Kind == DiffKind.Unchanged));
    }

    [Fact]
    public void Moved_block_is_shown_as_one_removal_and_one_addition_around_the_kept_lines()
    {
        var diff = LineDiff.Compare("x\na\nb", "a\nb\nx");

        Assert.Equal("-x| a| b|+x", Render(diff));
    }

    [Theory]
    [InlineData(null, "a\nb", "+a|+b")]
    [InlineData("a\nb", null, "-a|-b")]
    [InlineData("", "", "")]
    [InlineData(null, null, "")]
    public void A_missing_side_is_all_added_or_all_removed(string? before, string? after, string expected)
    {
        Assert.Equal(expected, Render(LineDiff.Compare(before, after)));
    }

    [Fact]
    public void Line_endings_and_a_final_newline_do_not_count_as_changes()
    {
        Assert.Equal(" a| b", Render(LineDiff.Compare("a\r\nb\r\n", "a\nb")));
    }

    [Fact]
    public void An_empty_line_in_the_middle_is_a_line()
    {
        Assert.Equal(" a|+| b", Render(LineDiff.Compare("a\nb", "a\n\nb")));
    }

    [Fact]
    public void Huge_changed_middles_fall_back_to_removed_then_added_and_keep_every_line()
    {
        var before = string.Join("\n", Enumerable.Range(0, 3000).Select(i => "old" + i));
        var after = string.Join("\n", Enumerable.Range(0, 3000).Select(i => "new" + i));

        var diff = LineDiff.Compare("head\n" + before + "\ntail", "head\n" + after + "\ntail");

        Assert.Equal(6002, diff.Count);
        Assert.Equal(new DiffLine(DiffKind.Unchanged, "head"), diff[0]);
        Assert.All(diff.Skip(1).Take(3000), l => Assert.Equal(DiffKind.Removed, l.Kind));
        Assert.All(diff.Skip(3001).Take(3000), l => Assert.Equal(DiffKind.Added, l.Kind));
        Assert.Equal(new DiffLine(DiffKind.Unchanged, "tail"), diff[^1]);
    }
}
