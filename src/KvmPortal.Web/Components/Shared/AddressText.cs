using KvmPortal.Hypervisor.Networks;

namespace KvmPortal.Web.Components.Shared;

/// <summary>A VM's IP addresses as one line: IPv4 before IPv6, each once, without prefixes.</summary>
public static class AddressText
{
    public static string Of(IReadOnlyList<VmAddress> addresses) =>
        string.Join(", ", addresses
            .OrderBy(a => a.Address.Contains(':'))
            .Select(a => a.Address)
            .Distinct(StringComparer.OrdinalIgnoreCase));
}
