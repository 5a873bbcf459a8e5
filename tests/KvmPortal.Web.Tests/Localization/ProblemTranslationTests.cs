using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Components.Pages.Vms.Create;
using KvmPortal.Web.Hosting;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Tests.Localization;

/// <summary>Every problem the validators report and every error kind reads in English and in Simplified Chinese.</summary>
public sealed partial class ProblemTranslationTests
{
    /// <summary>Keys only a host check produces (the pool or volume exists or not); the catalog cannot reach them.</summary>
    private static readonly string[] HostCheckedKeys =
    [
        "PoolNotActive", "PoolMissing", "VolumeTaken", "VolumeMissing", "VolumeNameTaken", "BackingVolumeMissing",
        "OverlaySmallerThanBacking", "MediaPathInvalid", "BootOrderInvalid",
    ];

    private static IStringLocalizer<Strings> Localizer() =>
        new ServiceCollection().AddLogging().AddKvmPortalLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<Strings>>();

    private static async Task<List<SpecProblem>> AllProblemsAsync()
    {
        var wizard = new CreateVmViewModel(new RecordingVmProvisioning(), new FakeStorageQueries(), new RecordingNetworkOperations());
        await wizard.ValidateAsync(); // no host chosen
        return [.. ProblemCatalog.All(), .. wizard.Problems, NetworkFormViewModel.HostMissing,
            .. KvmPortal.Hypervisor.Vms.Clone.CloneSpecValidator.Validate(new("clone", "pool", Linked: true), [])];
    }

    [Fact]
    public async Task In_english_every_problem_reads_as_the_validator_wrote_it()
    {
        using var _ = new CultureScope("en");
        var text = Localizer();

        var differing = (await AllProblemsAsync())
            .Select(p => (Problem: p, Shown: ErrorMessages.Problem(text, p)))
            .Where(p => p.Shown != p.Problem.Message)
            .Select(p => $"{p.Problem.Key}: '{p.Shown}' vs '{p.Problem.Message}'").ToList();

        Assert.True(differing.Count == 0, string.Join(Environment.NewLine, differing));
    }

    [Fact]
    public async Task In_simplified_chinese_every_problem_is_translated_with_its_values()
    {
        using var _ = new CultureScope("zh-Hans");
        var text = Localizer();
        var problems = await AllProblemsAsync();
        var keys = problems.Select(p => p.Key).Distinct().Count();
        Assert.True(keys >= 100, $"only {keys} kinds of problem produced");

        var wrong = new List<string>();
        foreach (var problem in problems)
        {
            var shown = ErrorMessages.Problem(text, problem);
            if (text[$"Problem{problem.Key}"].ResourceNotFound) wrong.Add($"{problem.Key}: no resource");
            else if (problem.Subject is { } subject && text[$"ProblemSubject{subject}"].ResourceNotFound) wrong.Add($"{problem.Key}: no subject {subject}");
            else if (shown == problem.Message || !HasChinese(shown)) wrong.Add($"{problem.Key}: untranslated '{shown}'");
            else if (problem.Arguments.FirstOrDefault(a => !shown.Contains(a, StringComparison.Ordinal)) is { } missing)
                wrong.Add($"{problem.Key}: '{shown}' lacks '{missing}'");
            else if (problem.Subject is { } about && !shown.Contains(text[$"ProblemSubject{about}"].Value, StringComparison.Ordinal))
                wrong.Add($"{problem.Key}: '{shown}' lacks its subject");
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Every_problem_text_in_the_resources_is_one_a_validator_produces()
    {
        // The other direction: a rule without a bad spec in the catalog, or a stale text, is noticed here.
        var produced = (await AllProblemsAsync()).Select(p => p.Key).Concat(HostCheckedKeys).ToHashSet();
        var texts = XDocument.Load(Path.Combine(ResourceParityTests.ResourceFolder(), "Strings.resx")).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!)
            .Where(k => k.StartsWith("Problem", StringComparison.Ordinal) && !k.StartsWith("ProblemSubject", StringComparison.Ordinal))
            .Select(k => k["Problem".Length..]).ToList();

        var unproduced = texts.Where(k => !produced.Contains(k)).ToList();
        Assert.True(unproduced.Count == 0, string.Join(", ", unproduced));
    }

    [Fact]
    public void Every_error_kind_has_a_text_in_both_languages()
    {
        foreach (var culture in new[] { "en", "zh-Hans" })
        {
            using var _ = new CultureScope(culture);
            var text = Localizer();
            var missing = Enum.GetValues<HypervisorErrorKind>().Where(k => text[$"HypervisorError{k}"].ResourceNotFound).ToList();
            Assert.True(missing.Count == 0, $"{culture}: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void In_simplified_chinese_every_error_kind_mentions_the_operation_and_its_arguments()
    {
        using var _ = new CultureScope("zh-Hans");
        var text = Localizer();
        var english = XDocument.Load(Path.Combine(ResourceParityTests.ResourceFolder(), "Strings.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

        var wrong = new List<string>();
        foreach (var kind in Enum.GetValues<HypervisorErrorKind>().Where(k => k != HypervisorErrorKind.InvalidSpec))
        {
            // The English text says how many arguments the kind takes after the operation ({0}).
            var count = Placeholder().Matches(english[$"HypervisorError{kind}"]).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
            string[] arguments = [.. Enumerable.Range(1, count).Select(i => $"value{i}")];
            var shown = ErrorMessages.Explain(text, new HypervisorException("English") { Kind = kind, Arguments = arguments }, "操作X");
            if (!shown.Contains("操作X", StringComparison.Ordinal) || arguments.Any(a => !shown.Contains(a, StringComparison.Ordinal)) || !HasChinese(shown.Replace("操作", "")))
                wrong.Add($"{kind}: {shown}");
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void A_refused_request_lists_its_problems_in_chinese_and_other_errors_keep_their_values()
    {
        using var _ = new CultureScope("zh-Hans");
        var text = Localizer();
        var refused = HypervisorException.Invalid([DomainSpecValidator.CheckName("a/b", "NewName", "Name")!]);
        var shrink = HypervisorException.Because(HypervisorErrorKind.ShrinkNeedsConfirm, "Resize volume d: ...", "d.qcow2", "10 GiB", "5 GiB");

        Assert.Equal("重命名 web1：新名称不能包含“/”。", ErrorMessages.Explain(text, refused, "重命名 web1"));
        Assert.Equal("调整大小：将 d.qcow2 从 10 GiB 缩小到 5 GiB 会丢失新末尾之后的数据；请确认缩小后再执行。",
            ErrorMessages.Explain(text, shrink, "调整大小"));
    }

    [Fact]
    public void Sizes_and_counts_are_culture_neutral()
    {
        using var _ = new CultureScope("zh-Hans");
        Assert.Equal(("64 TiB", "16 MiB", "1536 MiB", "1025 B", "10000"),
            (SpecProblem.Size(64UL << 40), SpecProblem.Size(16UL << 20), SpecProblem.Size(1536UL << 20), SpecProblem.Size(1025), SpecProblem.Number(10_000)));
    }

    private static bool HasChinese(string value) => ChineseCharacter().IsMatch(value);

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex ChineseCharacter();
}
