namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// What is wrong with a libvirt URI: <see cref="Key"/> and <see cref="Arguments"/> for a translated message,
/// <see cref="Message"/> the same in English.
/// </summary>
public sealed record HostUriProblem(string Key, IReadOnlyList<string> Arguments, string Message);

/// <summary>Checks a libvirt connection URI before we hand it to libvirt, so users get our words for typos.</summary>
public static class HostUri
{
    private static readonly string[] Drivers = ["qemu", "test"];
    private static readonly string[] RemoteTransports = ["ssh", "libssh", "libssh2", "tls", "tcp"];

    /// <summary>Returns null when the URI is acceptable, otherwise a message (English) saying what is wrong.</summary>
    public static string? Validate(string? uri) => Check(uri)?.Message;

    /// <summary>Returns null when the URI is acceptable, otherwise what is wrong with it.</summary>
    public static HostUriProblem? Check(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
            return Problem("Required", "Enter a libvirt URI such as qemu:///system or qemu+ssh://user@host/system.");
        if (uri.Length > 1024)
            return Problem("TooLong", "The URI is longer than 1024 characters.");
        if (uri.Any(char.IsWhiteSpace))
            return Problem("Spaces", "The URI must not contain spaces.");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            return Problem("NotAUri", $"'{uri}' is not a URI. Expected the form driver[+transport]://[user@][host][:port]/path.", uri);

        var scheme = parsed.Scheme.Split('+', 2);
        var driver = scheme[0];
        var transport = scheme.Length > 1 ? scheme[1] : null;
        if (!Drivers.Contains(driver))
            return Problem("UnsupportedDriver", $"Unsupported driver '{driver}'. Use qemu (KVM/QEMU hosts) or test (libvirt's test driver).", driver);
        if (transport is not null && transport != "unix" && !RemoteTransports.Contains(transport))
            return Problem("UnsupportedTransport", $"Unsupported transport '{transport}'. Use ssh, libssh2, tls, tcp or unix.", transport);

        var isRemote = transport is not null && transport != "unix";
        if (isRemote && string.IsNullOrEmpty(parsed.Host))
            return Problem("RemoteNeedsHost", $"A {transport} URI needs a host name, as in {driver}+{transport}://host/system.", transport!, driver);
        if (!isRemote && !string.IsNullOrEmpty(parsed.Host))
            return Problem("LocalHasHost", $"A local URI has no host name: write {driver}+ssh://{parsed.Host}/... to reach a remote host.", driver, parsed.Host);

        var path = parsed.AbsolutePath;
        if (driver == "qemu" && path is not ("/system" or "/session"))
            return Problem("QemuPath", $"A qemu URI ends in /system or /session, not '{path}'.", path);
        if (driver == "test" && (path.Length < 2 || path.Contains("/../")))
            return Problem("TestPath", "A test URI names /default or the absolute path of a node XML file.");
        return null;
    }

    private static HostUriProblem Problem(string key, string message, params string[] arguments) => new(key, arguments, message);
}
