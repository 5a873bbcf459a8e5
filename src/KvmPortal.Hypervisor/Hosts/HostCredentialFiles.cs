using System.Runtime.Versioning;
using System.Text;

namespace KvmPortal.Hypervisor.Hosts;

/// <summary>
/// A host's stored credentials written where libvirt reads them: one private folder per host (0700, files 0600)
/// and the URI libvirt is given instead of the user's. The user's URI is what is stored and shown.
/// <list type="bullet">
/// <item>TLS: the folder is a libvirt <c>pkipath</c> (cacert.pem, clientcert.pem, clientkey.pem); libvirt verifies the
/// host's certificate and name against that CA.</item>
/// <item>SSH (ssh, libssh, libssh2): the connection goes over libvirt's built-in <c>libssh</c> transport with
/// <c>keyfile</c>, <c>known_hosts</c>, <c>known_hosts_verify=normal</c> and <c>sshauth=privkey</c>. Unlike the
/// <c>ssh</c> transport (the ssh program, which has no parameter for a known_hosts file), libssh checks the host key
/// against exactly the stored entries; an unknown key would need a question, and the session opens connections
/// without an authentication callback, so it is refused instead of asked.</item>
/// </list>
/// </summary>
internal sealed class HostCredentialFiles : IDisposable
{
    public const string CaFile = "cacert.pem";
    public const string CertificateFile = "clientcert.pem";
    public const string KeyFile = "clientkey.pem";
    public const string SshKeyFile = "ssh-key";
    public const string KnownHostsFile = "known_hosts";

    private static readonly string[] SshTransports = ["ssh", "libssh", "libssh2"];
    // Parameters of the user's URI that would override or weaken what we set.
    private static readonly string[] ReplacedParameters =
        ["pkipath", "keyfile", "known_hosts", "known_hosts_verify", "sshauth", "no_verify", "no_tty", "command"];

    private HostCredentialFiles(string folder, string effectiveUri)
    {
        Folder = folder;
        EffectiveUri = effectiveUri;
    }

    /// <summary>The host's private folder.</summary>
    public string Folder { get; }

    /// <summary>The URI to open: the user's, with the transport and parameters that use the files.</summary>
    public string EffectiveUri { get; }

    /// <summary>Writes the host's credentials under <paramref name="root"/> (replacing an older copy).</summary>
    [UnsupportedOSPlatform("windows")] // file modes; the dashboard runs where libvirt does
    public static HostCredentialFiles Write(string root, HostDefinition host)
    {
        var credentials = host.Credentials ?? throw new ArgumentException("The host has no stored credentials.", nameof(host));
        var folder = Path.Combine(PrivateFolder(root), host.Id.ToString("N"));
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var parameters = new List<(string Name, string Value)>();
            var uri = new UriParts(host.Uri);
            if (credentials.Tls is { } tls && uri.Transport == "tls")
            {
                WritePrivate(folder, CaFile, tls.CaCertificatePem);
                WritePrivate(folder, CertificateFile, tls.ClientCertificatePem);
                WritePrivate(folder, KeyFile, tls.ClientKeyPem);
                parameters.Add(("pkipath", folder));
            }
            if (credentials.Ssh is { } ssh && SshTransports.Contains(uri.Transport))
            {
                WritePrivate(folder, SshKeyFile, ssh.PrivateKey);
                WritePrivate(folder, KnownHostsFile, ssh.KnownHosts);
                uri.Transport = "libssh";
                parameters.Add(("keyfile", Path.Combine(folder, SshKeyFile)));
                parameters.Add(("known_hosts", Path.Combine(folder, KnownHostsFile)));
                parameters.Add(("known_hosts_verify", "normal"));
                parameters.Add(("sshauth", "privkey"));
            }
            return new HostCredentialFiles(folder, uri.With(parameters));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// A new private folder for this instance in the temporary directory (kvmportal-hosts-PID-random, 0700). Folders
    /// of instances that ended without removing theirs (killed) are removed first, so their keys do not linger.
    /// </summary>
    public static string CreateInstanceRoot()
    {
        var processesVisible = Directory.Exists("/proc/self"); // without /proc no instance can be told dead
        foreach (var stale in processesVisible ? Directory.EnumerateDirectories(Path.GetTempPath(), $"{InstanceRootPrefix}*") : [])
        {
            var pid = Path.GetFileName(stale)[InstanceRootPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or going away meanwhile: not ours to worry about.
                }
            }
        }
        return Directory.CreateTempSubdirectory($"{InstanceRootPrefix}{Environment.ProcessId}-").FullName;
    }

    private const string InstanceRootPrefix = "kvmportal-hosts-";

    /// <summary>Removes the host's folder and the files in it.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }

    /// <summary>The root folder, made 0700 when new; an existing one must already be private to this user.</summary>
    [UnsupportedOSPlatform("windows")]
    private static string PrivateFolder(string root)
    {
        if (!Directory.Exists(root))
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var mode = File.GetUnixFileMode(root);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                     | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            throw new InvalidOperationException($"The credentials folder {root} is readable by others (mode {Convert.ToString((int)mode, 8)}); make it 0700.");
        return root;
    }

    [UnsupportedOSPlatform("windows")]
    private static void WritePrivate(string folder, string name, string content)
    {
        using var file = new FileStream(Path.Combine(folder, name), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        var text = content.EndsWith('\n') ? content : content + "\n";
        file.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>driver[+transport]://authority/path?query, split so the transport and parameters can change.</summary>
    private sealed class UriParts
    {
        private readonly string _driver;
        private readonly string _rest; // "//authority/path"
        private readonly List<string> _query;

        public UriParts(string uri)
        {
            var colon = uri.IndexOf(':');
            var scheme = uri[..colon].Split('+', 2);
            _driver = scheme[0];
            Transport = scheme.Length > 1 ? scheme[1] : "";
            var afterScheme = uri[(colon + 1)..];
            var question = afterScheme.IndexOf('?');
            _rest = question < 0 ? afterScheme : afterScheme[..question];
            _query = question < 0 ? [] : [.. afterScheme[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)];
        }

        public string Transport { get; set; }

        public string With(IEnumerable<(string Name, string Value)> parameters)
        {
            var query = _query.Where(p => !ReplacedParameters.Contains(p.Split('=', 2)[0], StringComparer.OrdinalIgnoreCase))
                .Concat(parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"))
                .ToList();
            var scheme = Transport.Length > 0 ? $"{_driver}+{Transport}" : _driver;
            return query.Count == 0 ? $"{scheme}:{_rest}" : $"{scheme}:{_rest}?{string.Join('&', query)}";
        }
    }
}
