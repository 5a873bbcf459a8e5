namespace KvmPortal.Web.Components.Shared.Xml;

/// <summary>What a piece of XML text is, for highlighting. The names are the CSS classes' suffixes.</summary>
public enum XmlTokenKind
{
    Text,
    Markup,
    Element,
    AttributeName,
    AttributeValue,
    Comment,
    Declaration,
}

public readonly record struct XmlToken(XmlTokenKind Kind, string Text);

/// <summary>
/// Splits XML text into highlightable pieces without parsing it: it never fails, also on the half-typed or broken
/// XML of the editor, and the pieces joined give back the text exactly. wwwroot/js/xml-editor.js follows the same
/// rules in the browser; keep the two alike.
/// </summary>
public static class XmlTokenizer
{
    public static IReadOnlyList<XmlToken> Tokenize(string? xml)
    {
        var tokens = new List<XmlToken>();
        if (string.IsNullOrEmpty(xml))
            return tokens;
        var i = 0;
        while (i < xml.Length)
        {
            if (xml[i] != '<')
                i = Take(tokens, XmlTokenKind.Text, xml, i, IndexOrEnd(xml, "<", i));
            else if (xml.AsSpan(i).StartsWith("<!--"))
                i = Take(tokens, XmlTokenKind.Comment, xml, i, IndexOrEnd(xml, "-->", i + 4, 3));
            else if (xml.AsSpan(i).StartsWith("<![CDATA["))
                i = Take(tokens, XmlTokenKind.Text, xml, i, IndexOrEnd(xml, "]]>", i + 9, 3));
            else if (i + 1 < xml.Length && xml[i + 1] is '?' or '!')
                i = Take(tokens, XmlTokenKind.Declaration, xml, i, IndexOrEnd(xml, ">", i + 2, 1));
            else
                i = TakeTag(tokens, xml, i);
        }
        return tokens;
    }

    /// <summary>A start or end tag from its "&lt;": name, attributes with their quoted values, up to its "&gt;".</summary>
    private static int TakeTag(List<XmlToken> tokens, string xml, int start)
    {
        var i = Take(tokens, XmlTokenKind.Markup, xml, start, start + (start + 1 < xml.Length && xml[start + 1] == '/' ? 2 : 1));
        i = Take(tokens, XmlTokenKind.Element, xml, i, NameEnd(xml, i));
        while (i < xml.Length && xml[i] != '<')
        {
            var c = xml[i];
            if (c == '>' || xml.AsSpan(i).StartsWith("/>"))
                return Take(tokens, XmlTokenKind.Markup, xml, i, c == '>' ? i + 1 : i + 2);
            if (c is '"' or '\'')
                i = Take(tokens, XmlTokenKind.AttributeValue, xml, i, IndexOrEnd(xml, c.ToString(), i + 1, 1));
            else if (IsNameChar(c))
                i = Take(tokens, XmlTokenKind.AttributeName, xml, i, NameEnd(xml, i));
            else
                i = Take(tokens, XmlTokenKind.Markup, xml, i, MarkupEnd(xml, i));
        }
        return i;
    }

    private static int Take(List<XmlToken> tokens, XmlTokenKind kind, string xml, int start, int end)
    {
        if (end > start)
            tokens.Add(new XmlToken(kind, xml[start..end]));
        return end;
    }

    /// <summary>Where <paramref name="value"/> is found from <paramref name="from"/>, plus <paramref name="include"/>; the end if it is not.</summary>
    private static int IndexOrEnd(string xml, string value, int from, int include = 0)
    {
        var found = from <= xml.Length ? xml.IndexOf(value, from, StringComparison.Ordinal) : -1;
        return found < 0 ? xml.Length : found + include;
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '-' or '.';

    private static int NameEnd(string xml, int i)
    {
        while (i < xml.Length && IsNameChar(xml[i])) i++;
        return i;
    }

    /// <summary>Spaces, "=", "/" and stray characters inside a tag, up to the next name, value or end.</summary>
    private static int MarkupEnd(string xml, int i)
    {
        do i++;
        while (i < xml.Length && !IsNameChar(xml[i]) && xml[i] is not ('"' or '\'' or '>' or '<'));
        return i;
    }
}
