namespace KvmPortal.Hypervisor.Hosts;

/// <summary>Checks a libvirt connection URI before we hand it to libvirt, so users get our words for typos.</summary>
public static class HostUri
{
    private static readonly string[] Drivers = ["qemu", "test"];
    private static readonly string[] RemoteTransports = ["ssh", "libssh", "libssh2", "tls", "tcp"];

    /// <summary>Returns null when the URI is acceptable, otherwise a message saying what is wrong.</summary>
    public static string? Validate(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
            return "Enter a libvirt URI such as qemu:///system or qemu+ssh://user@host/system.";
        if (uri.Length > 1024)
            return "The URI is longer than 1024 characters.";
        if (uri.Any(char.IsWhiteSpace))
            return "The URI must not contain spaces.";
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            return $"'{uri}' is not a URI. Expected the form driver[+transport]://[user@][host][:port]/path.";

        var scheme = parsed.Scheme.Split('+', 2);
        var driver = scheme[0];
        var transport = scheme.Length > 1 ? scheme[1] : null;
        if (!Drivers.Contains(driver))
            return $"Unsupported driver '{driver}'. Use qemu (KVM/QEMU hosts) or test (libvirt's test driver).";
        if (transport is not null && transport != "unix" && !RemoteTransports.Contains(transport))
            return $"Unsupported transport '{transport}'. Use ssh, libssh2, tls, tcp or unix.";

        var isRemote = transport is not null && transport != "unix";
        if (isRemote && string.IsNullOrEmpty(parsed.Host))
            return $"A {transport} URI needs a host name, as in {driver}+{transport}://host/system.";
        if (!isRemote && !string.IsNullOrEmpty(parsed.Host))
            return $"A local URI has no host name: write {driver}+ssh://{parsed.Host}/... to reach a remote host.";

        var path = parsed.AbsolutePath;
        if (driver == "qemu" && path is not ("/system" or "/session"))
            return $"A qemu URI ends in /system or /session, not '{path}'.";
        if (driver == "test" && (path.Length < 2 || path.Contains("/../")))
            return "A test URI names /default or the absolute path of a node XML file.";
        return null;
    }
}
