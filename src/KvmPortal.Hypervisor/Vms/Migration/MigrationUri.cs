namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>
/// Where the target's QEMU listens for the migration data. libvirt's own default is the target's host name, which
/// often does not resolve from the source (or names the loopback); the address the dashboard reaches the target
/// at is a better guess, and the user may name another.
/// </summary>
internal static class MigrationUri
{
    /// <summary>"tcp://address", or null to let the target name itself (a local target URI and no address given).</summary>
    public static string? For(string targetHostUri, string? address)
    {
        if (!string.IsNullOrWhiteSpace(address))
        {
            address = address.Trim();
            if (address.Contains("://", StringComparison.Ordinal)) return address;
            return "tcp://" + (address.Contains(':') && !address.StartsWith('[') ? $"[{address}]" : address);
        }
        return Uri.TryCreate(targetHostUri, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host)
            ? "tcp://" + uri.Host
            : null;
    }
}
