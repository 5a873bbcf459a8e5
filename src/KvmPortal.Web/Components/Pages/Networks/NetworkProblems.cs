using System.Text.RegularExpressions;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Components.Pages.Networks;

/// <summary>
/// The network validator reports plain English sentences, all at once. This table recognises each of them, says
/// which form field it concerns and which resource translates it (arguments in the order of the captures). A
/// sentence it does not know stays as it is and goes to <see cref="NetworkField.Other"/>;
/// NetworkProblemsTests runs the real validator so a changed sentence is noticed.
/// </summary>
public static class NetworkProblems
{
    private sealed record Pattern(Regex Regex, NetworkField Field, string Key);

    private const string Any = "(.+?)";

    private static readonly Pattern[] Patterns =
    [
        P("Enter a name for the network.", NetworkField.Name, "NetworkProblemNameRequired"),
        P($"'{Any}' is not a valid network name: use up to 50 letters, digits, '-', '_' and '.', starting with a letter or digit.", NetworkField.Name, "NetworkProblemNameInvalid"),
        P($"A network named '{Any}' already exists on this host.", NetworkField.Name, "NetworkProblemNameTaken"),
        P("Bridge mode needs the name of an existing host bridge (e.g. br0).", NetworkField.Bridge, "NetworkProblemBridgeRequired"),
        P($"The host has no interface or bridge named '{Any}'.", NetworkField.Bridge, "NetworkProblemBridgeUnknown"),
        P("A macvtap (direct) network needs the host interface to attach to.", NetworkField.HostInterface, "NetworkProblemInterfaceRequired"),
        P($"The host has no interface named '{Any}'.", NetworkField.HostInterface, "NetworkProblemInterfaceUnknown"),
        P("Choose a forward mode: NAT, routed, isolated, open, bridge or macvtap.", NetworkField.Mode, "NetworkProblemModeRequired"),
        P($"'{Any}' is not a valid bridge name (up to 15 letters, digits, '-', '_', '.').", NetworkField.Bridge, "NetworkProblemBridgeInvalid"),
        P($"'{Any}' is not a valid interface name.", NetworkField.HostInterface, "NetworkProblemInterfaceInvalid"),
        P($"A {Any} network has no addresses, DHCP or DNS of its own: the guests use the host's network.", NetworkField.Mode, "NetworkProblemNoAddressing"),
        P($"A {Any} network has no DNS of its own.", NetworkField.Mode, "NetworkProblemNoDns"),
        P($"The MTU of a {Any} network is that of the host interface.", NetworkField.Mtu, "NetworkProblemNoMtu"),
        P($"A {Any} network needs an IPv4 address and prefix.", NetworkField.Ipv4, "NetworkProblemIpv4Required"),
        P("DHCP needs an IPv4 address for the network.", NetworkField.Dhcp, "NetworkProblemDhcpNeedsIpv4"),
        P("The IPv6 DHCP range needs an IPv6 address for the network.", NetworkField.Ipv6, "NetworkProblemDhcpNeedsIpv6"),
        P("The MTU must be between 68 and 65535.", NetworkField.Mtu, "NetworkProblemMtuRange"),
        P($"The subnet {Any} overlaps {Any} of network '{Any}' on this host.", NetworkField.Ipv4, "NetworkProblemOverlap"),
        P($"'{Any}' is not an IPv4 address.", NetworkField.Ipv4, "NetworkProblemIpv4Invalid"),
        P("The IPv4 prefix must be between 8 and 30.", NetworkField.Ipv4, "NetworkProblemIpv4Prefix"),
        P($"{Any} is the network or broadcast address of {Any}; the host needs an address inside it.", NetworkField.Ipv4, "NetworkProblemHostAddressReserved"),
        P($"'{Any}' is not an IPv6 address.", NetworkField.Ipv6, "NetworkProblemIpv6Invalid"),
        P("The IPv6 prefix must be between 8 and 127 (64 is usual).", NetworkField.Ipv6, "NetworkProblemIpv6Prefix"),
        P($"'{Any}' is not a MAC address (six hex pairs such as 52:54:00:12:34:56).", NetworkField.DhcpHosts, "NetworkProblemMacInvalid"),
        P($"{Any} is a multicast MAC address; a NIC needs a unicast one (the first byte even).", NetworkField.DhcpHosts, "NetworkProblemMacMulticast"),
        P($"The MAC address {Any} has more than one static DHCP entry.", NetworkField.DhcpHosts, "NetworkProblemMacDuplicate"),
        P($"'{Any}' \\(for {Any}\\) is not an IPv4 address.", NetworkField.DhcpHosts, "NetworkProblemStaticIpInvalid"),
        P($"The static address {Any} \\(for {Any}\\) is not a usable address of {Any}.", NetworkField.DhcpHosts, "NetworkProblemStaticIpOutside"),
        P($"The static address {Any} \\(for {Any}\\) is the host's own address.", NetworkField.DhcpHosts, "NetworkProblemStaticIpIsHost"),
        P($"The address {Any} is given to more than one static DHCP entry.", NetworkField.DhcpHosts, "NetworkProblemStaticIpDuplicate"),
        P($"'{Any}' \\(DNS entry\\) is not an IP address.", NetworkField.Dns, "NetworkProblemDnsIpInvalid"),
        P($"The DNS entry for {Any} needs at least one host name.", NetworkField.Dns, "NetworkProblemDnsNoName"),
        P($"'{Any}' \\(DNS entry for {Any}\\) is not a valid host name.", NetworkField.Dns, "NetworkProblemDnsNameInvalid"),
        P($"'{Any}' is not a valid DNS domain.", NetworkField.Dns, "NetworkProblemDnsDomainInvalid"),
        P($"'{Any}' is not a valid host name.", NetworkField.DhcpHosts, "NetworkProblemHostnameInvalid"),
        P($"The host name {Any} is given to more than one static DHCP entry.", NetworkField.DhcpHosts, "NetworkProblemHostnameDuplicate"),
        P($"The {Any} needs a valid start and end address.", NetworkField.Dhcp, "NetworkProblemRangeInvalid"),
        P($"The {Any} address {Any} is not a usable address of {Any}.", NetworkField.Dhcp, "NetworkProblemRangeOutside"),
        P($"The {Any} starts \\({Any}\\) after it ends \\({Any}\\).", NetworkField.Dhcp, "NetworkProblemRangeReversed"),
        P($"The {Any} {Any} - {Any} includes the host's own address {Any}.", NetworkField.Dhcp, "NetworkProblemRangeHasHost"),
    ];

    /// <summary>The validator's words for modes and ranges, and the resources that name them in the form.</summary>
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["NAT"] = "NetworkModeNat", ["routed"] = "NetworkModeRoute", ["isolated"] = "NetworkModeIsolated", ["open"] = "NetworkModeOpen",
        ["bridged"] = "NetworkModeBridge", ["macvtap"] = "NetworkModeDirect",
        ["DHCP range"] = "NetworkDhcpRange", ["IPv6 DHCP range"] = "NetworkIpv6DhcpStart",
    };

    /// <summary>Whether the table knows this sentence (for the drift test).</summary>
    public static bool IsKnown(string problem) => Match(problem) is not null;

    /// <summary>The field a problem belongs to.</summary>
    public static NetworkField FieldOf(string problem)
    {
        if (problem == NetworkFormViewModel.HostMissing) return NetworkField.Host;
        if (Match(problem) is not var (pattern, args)) return NetworkField.Other;
        // Overlaps and ranges name the address family in their arguments.
        if (pattern.Key == "NetworkProblemOverlap" && args[0].Contains(':')) return NetworkField.Ipv6;
        if (pattern.Field == NetworkField.Dhcp && args.Length > 0 && args[0] == "IPv6 DHCP range") return NetworkField.Ipv6;
        return pattern.Field;
    }

    /// <summary>The problem in the user's language; an unknown sentence as the service wrote it.</summary>
    public static string Translate(IStringLocalizer<Strings> text, string problem)
    {
        if (problem == NetworkFormViewModel.HostMissing) return text["NetworkChooseHost"];
        if (Match(problem) is not var (pattern, args)) return problem;
        var translated = text[pattern.Key, [.. args.Select(a => Words.TryGetValue(a, out var key) ? text[key].Value : a)]];
        return translated.ResourceNotFound ? problem : translated.Value;
    }

    private static (Pattern Pattern, string[] Args)? Match(string problem)
    {
        foreach (var pattern in Patterns)
        {
            var match = pattern.Regex.Match(problem);
            if (match.Success)
                return (pattern, match.Groups.Values.Skip(1).Select(g => g.Value).ToArray());
        }
        return null;
    }

    private static Pattern P(string sentence, NetworkField field, string key)
    {
        // The sentence is literal except for the capture groups and the already-escaped parentheses.
        var regex = "^" + Regex.Escape(sentence)
            .Replace(Regex.Escape(Any), Any)
            .Replace(@"\\\(", @"\(").Replace(@"\\\)", @"\)") + "$";
        return new Pattern(new Regex(regex, RegexOptions.CultureInvariant), field, key);
    }
}
