using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>Address parsing and subnet arithmetic for network specs and network XML.</summary>
internal static class IpMath
{
    /// <summary>Parses a dotted-quad IPv4 address ("10.0.0.1", not the "10" that IPAddress.Parse also takes).</summary>
    public static IPAddress? ParseIpv4(string? text) =>
        text is not null && text.Count(c => c == '.') == 3 && IPAddress.TryParse(text.Trim(), out var address)
        && address.AddressFamily == AddressFamily.InterNetwork ? address : null;

    public static IPAddress? ParseIpv6(string? text) =>
        text is not null && text.Contains(':') && IPAddress.TryParse(text.Trim(), out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId == 0 ? address : null;

    public static IPAddress? ParseAny(string? text) => ParseIpv4(text) ?? ParseIpv6(text);

    /// <summary>The subnet an address with a prefix lies in (host bits cleared).</summary>
    public static IPNetwork SubnetOf(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary>The prefix length of a dotted netmask such as 255.255.255.0; null when it is not contiguous.</summary>
    public static int? PrefixOfNetmask(string? netmask)
    {
        if (ParseIpv4(netmask) is not { } mask) return null;
        var bits = BitConverter.ToUInt32(mask.GetAddressBytes().Reverse().ToArray());
        var prefix = BitOperations.PopCount(bits);
        return prefix == 0 || bits == uint.MaxValue << (32 - prefix) ? prefix : null;
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>Orders addresses of one family numerically.</summary>
    public static int Compare(IPAddress a, IPAddress b) =>
        new BigInteger(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true)
            .CompareTo(new BigInteger(b.GetAddressBytes(), isUnsigned: true, isBigEndian: true));

    /// <summary>True for the all-zeros (network) or all-ones (broadcast) host part of an IPv4 subnet.</summary>
    public static bool IsNetworkOrBroadcast(IPAddress address, IPNetwork subnet)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || subnet.PrefixLength >= 31) return false;
        var value = BitConverter.ToUInt32(address.GetAddressBytes().Reverse().ToArray());
        var hostMask = uint.MaxValue >> subnet.PrefixLength;
        return (value & hostMask) == 0 || (value & hostMask) == hostMask;
    }
}
