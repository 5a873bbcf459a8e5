using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KvmPortal.Web.Tests.Localization;

/// <summary>Every text exists in every language, is not empty, and takes the same placeholders.</summary>
public sealed partial class ResourceParityTests
{
    public static TheoryData<string> Resources => ["Strings", "MudTexts"];

    [Theory]
    [MemberData(nameof(Resources))]
    public void Chinese_and_English_have_the_same_keys_and_no_empty_values(string resource)
    {
        var english = Load($"{resource}.resx");
        var chinese = Load($"{resource}.zh-Hans.resx");

        var problems = new List<string>();
        problems.AddRange(english.Keys.Except(chinese.Keys).Select(k => $"{k}: missing in {resource}.zh-Hans.resx"));
        problems.AddRange(chinese.Keys.Except(english.Keys).Select(k => $"{k}: missing in {resource}.resx"));
        problems.AddRange(english.Concat(chinese.Select(p => KeyValuePair.Create(p.Key + " (zh-Hans)", p.Value)))
            .Where(p => string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{p.Key}: empty value"));
        problems.AddRange(english.Keys.Intersect(chinese.Keys)
            .Where(k => !Placeholders(english[k]).SetEquals(Placeholders(chinese[k])))
            .Select(k => $"{k}: placeholders differ ('{english[k]}' vs '{chinese[k]}')"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_resource_files_are_found_and_read()
    {
        // Guards the test itself: the resources are found and parsed, so an empty comparison cannot pass silently.
        Assert.True(Load("Strings.resx").Count > 50);
        Assert.True(Load("Strings.zh-Hans.resx").ContainsKey("VmStateRunning"));
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(ResourceFolder(), file)).Root!
            .Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    internal static string ResourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KvmPortal.sln")))
                return Path.Combine(dir.FullName, "src", "KvmPortal.Web", "Resources");
        throw new InvalidOperationException("KvmPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
