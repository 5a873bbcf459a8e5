using System.Net;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Web.Components.Pages.Networks;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using KvmPortal.Web.Hosting;

namespace KvmPortal.Web.Tests.Components.Networks;

/// <summary>The real validator's sentences are all known to the translation table, and read the same after it.</summary>
public sealed class NetworkProblemsTests
{
    private static readonly NetworkValidationContext Context = new(
        [new ExistingNetwork("default", [IPNetwork.Parse("10.0.0.0/16"), IPNetwork.Parse("fd00::/48")])],
        new HashSet<string> { "eth0" });

    private static IEnumerable<NetworkSpec> BadSpecs()
    {
        yield return new NetworkSpec { Name = "", Mode = NetworkForwardMode.Other };
        yield return new NetworkSpec { Name = "bad name", Mode = NetworkForwardMode.Bridge, Ipv4Address = "10.0.0.1", DnsDomain = "x", Mtu = 1500 };
        yield return new NetworkSpec { Name = "default", Mode = NetworkForwardMode.Direct, HostInterface = "bad iface!" };
        yield return new NetworkSpec { Name = "b", Mode = NetworkForwardMode.Bridge, BridgeName = "br9" };
        yield return new NetworkSpec { Name = "b", Mode = NetworkForwardMode.Bridge, BridgeName = "this-name-is-way-too-long" };
        yield return new NetworkSpec
        {
            Name = "n", DhcpStart = "10.0.0.2", Ipv6DhcpStart = "fd00::2", Mtu = 20, DnsDomain = "bad domain",
            DnsHosts = [new("x", []), new("10.0.0.5", ["a b"])],
        };
        yield return new NetworkSpec
        {
            Name = "n", Ipv4Address = "10.0.0.1", DhcpStart = "10.0.0.50", DhcpEnd = "10.0.0.20",
            DhcpHosts =
            [
                new("52:54:00:00:00:01", "10.0.0.1"), new("52:54:00:00:00:01", "10.0.0.7", "h"), new("52:54:00:00:00:02", "10.0.0.7", "h"),
                new("52:54:00:00:00:03", "10.9.0.1"), new("52:54:00:00:00:04", "nope"), new("52:54:00:00:00:05", "10.0.0.9", "bad name"),
                new("zz", "10.0.0.10"), new("01:00:00:00:00:01", "10.0.0.11"),
            ],
        };
        yield return new NetworkSpec { Name = "n", Ipv4Address = "10.0.0.0" };
        yield return new NetworkSpec { Name = "n", Ipv4Address = "x", Ipv6Address = "y" };
        yield return new NetworkSpec { Name = "n", Ipv4Address = "10.0.0.1", Ipv4Prefix = 31, Ipv6Address = "fd00::1", Ipv6Prefix = 128 };
        yield return new NetworkSpec
        {
            Name = "n", Ipv4Address = "10.1.0.1", DhcpStart = "a", DhcpEnd = "b", Ipv6Address = "fd00::1", Ipv6DhcpStart = "fd01::1", Ipv6DhcpEnd = "fd00::9",
        };
        yield return new NetworkSpec { Name = "n", Ipv4Address = "10.2.0.1", DhcpStart = "10.2.0.1", DhcpEnd = "10.2.0.9" };
    }

    private static List<string> AllProblems() => [.. BadSpecs().SelectMany(s => NetworkSpecValidator.Validate(s, Context)).Distinct()];

    private static IStringLocalizer<Strings> Localizer()
    {
        var services = new ServiceCollection().AddLogging().AddKvmPortalLocalization().BuildServiceProvider();
        return services.GetRequiredService<IStringLocalizer<Strings>>();
    }

    [Fact]
    public void Every_sentence_the_validator_writes_is_known()
    {
        var problems = AllProblems();
        Assert.True(problems.Count >= 35, $"only {problems.Count} sentences produced");
        var unknown = problems.Where(p => !NetworkProblems.IsKnown(p)).ToList();
        Assert.True(unknown.Count == 0, string.Join(Environment.NewLine, unknown));
        Assert.DoesNotContain(NetworkField.Other, problems.Select(NetworkProblems.FieldOf));
    }

    [Fact]
    public void In_english_the_translation_reads_as_the_validator_wrote_it()
    {
        using var _ = new CultureScope("en");
        var text = Localizer();
        // Mode and range words are renamed as the form names them; the rest must read exactly the same.
        string[] renamed = [" network has no", "network needs an IPv4", "DHCP range", "The MTU of a"];
        var problems = AllProblems().Where(p => !renamed.Any(p.Contains)).ToList();

        Assert.Equal(problems, problems.Select(p => NetworkProblems.Translate(text, p)));
    }

    [Fact]
    public void In_simplified_chinese_every_sentence_is_translated()
    {
        using var _ = new CultureScope("zh-Hans");
        var text = Localizer();

        var untranslated = AllProblems().Where(p => NetworkProblems.Translate(text, p) == p).ToList();
        Assert.True(untranslated.Count == 0, string.Join(Environment.NewLine, untranslated));
        Assert.Equal("子网 fd00::/64 与此主机上网络“default”的 fd00::/48 重叠。",
            NetworkProblems.Translate(text, "The subnet fd00::/64 overlaps fd00::/48 of network 'default' on this host."));
        Assert.Equal("IPv6 DHCP 范围的起始地址（fd00::9）在结束地址（fd00::2）之后。",
            NetworkProblems.Translate(text, "The IPv6 DHCP range starts (fd00::9) after it ends (fd00::2)."));
        Assert.Equal(NetworkField.Ipv6, NetworkProblems.FieldOf("The IPv6 DHCP range starts (fd00::9) after it ends (fd00::2)."));
    }
}
