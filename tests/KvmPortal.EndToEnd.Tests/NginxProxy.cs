using System.Diagnostics;
using System.Text;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Debian's nginx in the foreground with the shipped site (deploy/nginx-kvmportal.conf) in front of the given app
/// instances: only what a test machine must differ in is replaced (upstream ports, loopback listen ports, a
/// self-signed certificate made by openssl), each replacement checked, so the file under test is the shipped one.
/// Everything nginx writes (pid, logs, temp files) stays in a temporary directory.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private NginxProxy(Process process, string directory, string baseUrl, string redirectUrl)
    {
        _process = process;
        _directory = directory;
        BaseUrl = baseUrl;
        RedirectUrl = redirectUrl;
    }

    /// <summary>The HTTPS address of the site (self-signed certificate).</summary>
    public string BaseUrl { get; }

    /// <summary>The plain-HTTP listener, which only redirects to HTTPS.</summary>
    public string RedirectUrl { get; }

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    public static async Task<NginxProxy> StartAsync(string shippedSite, params string[] upstreams)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Nginx))
            throw new InvalidOperationException($"nginx is not at {Nginx}: deploy/test.sh installs Debian's nginx package.");
        var directory = Directory.CreateTempSubdirectory("kvmportal-nginx-").FullName;
        // nginx's workers (not root) must reach their temp directories in here.
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", Path.Combine(directory, "kvmportal.key"), "-out", Path.Combine(directory, "kvmportal.crt"));

        var https = FreePort();
        var http = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "site.conf"), Site(await File.ReadAllTextAsync(shippedSite), directory, https, http, upstreams));
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log info;
            worker_processes 1;
            events {}
            http {
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/site.conf;
            }
            """);

        var start = new ProcessStartInfo(Nginx, ["-p", directory, "-e", Path.Combine(directory, "error.log"),
            "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        var proxy = new NginxProxy(process, directory, $"https://127.0.0.1:{https}", $"http://127.0.0.1:{http}");
        process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await proxy.WaitUntilServingAsync();
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    /// <summary>The shipped site with this machine's ports and certificate; fails if the shipped file no longer has what is replaced.</summary>
    internal static string Site(string shipped, string directory, int https, int http, IReadOnlyList<string> upstreams)
    {
        var site = shipped;
        string Replace(string text, string what, string with) =>
            text.Contains(what, StringComparison.Ordinal)
                ? text.Replace(what, with, StringComparison.Ordinal)
                : throw new InvalidOperationException($"deploy/nginx-kvmportal.conf no longer contains '{what}'; update {nameof(NginxProxy)}.");
        site = Replace(site, "    server 127.0.0.1:5080;\n    server 127.0.0.1:5081;\n",
            string.Concat(upstreams.Select(u => $"    server {new Uri(u).Authority};\n")));
        site = Replace(site, "listen 443 ssl;", $"listen 127.0.0.1:{https} ssl;");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{http};");
        // The test machine need not have IPv6 on loopback.
        site = Replace(site, "    listen [::]:443 ssl;\n", "");
        site = Replace(site, "    listen [::]:80;\n", "");
        return Replace(site, "/etc/kvmportal/tls/", directory + "/");
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}:\n{Output}\n{ErrorLog}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"nginx did not pass /healthz through within 30 s:\n{Output}\n{ErrorLog}");
            await Task.Delay(250);
        }
    }

    private string Output { get { lock (_output) return _output.ToString(); } }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
    }

    private static int FreePort() => RunningPortal.FreePort();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
