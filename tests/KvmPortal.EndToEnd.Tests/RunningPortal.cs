using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The real dashboard as its own process, as deploy/run.sh starts it: a fresh database on the test
/// PostgreSQL server, the real local libvirt host, a known administrator password.
/// </summary>
public sealed class RunningPortal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _serverConnectionString;
    private readonly string _database;
    private readonly bool _ownsDatabase;
    private readonly string[] _hosts;

    private RunningPortal(Process process, string baseUrl, string password, string serverConnectionString, string database, bool ownsDatabase, string[] hosts)
    {
        _process = process;
        BaseUrl = baseUrl;
        AdminPassword = password;
        _serverConnectionString = serverConnectionString;
        _database = database;
        _ownsDatabase = ownsDatabase;
        _hosts = hosts;
    }

    public string BaseUrl { get; }
    public string AdminUser => "admin";
    public string AdminPassword { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The portal's own database, for tests that set up data the UI cannot make yet.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _database }.ConnectionString;

    /// <summary>Starts the dashboard with qemu:///system and <paramref name="moreHosts"/> (URIs) as its hosts.</summary>
    public static Task<RunningPortal> StartAsync(params string[] moreHosts) => StartAsync(null, moreHosts);

    /// <param name="settings">Extra configuration, as environment variables (e.g. KvmPortal__Oidc__Authority).</param>
    /// <param name="moreHosts">Hosts (URIs) besides qemu:///system.</param>
    public static async Task<RunningPortal> StartAsync(IReadOnlyDictionary<string, string>? settings, params string[] moreHosts)
    {
        var server = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: run the tests with deploy/test.sh, which starts PostgreSQL.");
        var database = "kvmportal_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var password = "E2e-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        return await LaunchAsync(server, database, ownsDatabase: true, password, settings, moreHosts);
    }

    /// <summary>
    /// Another instance of this dashboard on the same database, as a second server behind a reverse proxy would be
    /// (give it its own KvmPortal__InstanceName in <paramref name="settings"/>). The database stays this portal's.
    /// </summary>
    public Task<RunningPortal> StartAnotherInstanceAsync(IReadOnlyDictionary<string, string>? settings) =>
        LaunchAsync(_serverConnectionString, _database, ownsDatabase: false, AdminPassword, settings, _hosts);

    private static async Task<RunningPortal> LaunchAsync(string server, string database, bool ownsDatabase, string password,
        IReadOnlyDictionary<string, string>? settings, string[] moreHosts)
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var webProject = Path.Combine(root, "src", "KvmPortal.Web");
        var app = Path.Combine(webProject, "bin", configuration, "net10.0", "KvmPortal.Web.dll");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";

        var start = new ProcessStartInfo("dotnet", [app])
        {
            WorkingDirectory = webProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["KVMPORTAL_URLS"] = baseUrl,
                ["KVMPORTAL_ADMIN_PASSWORD"] = password,
                ["ConnectionStrings__KvmPortal"] = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString,
                ["KvmPortal__DefaultHosts__0"] = "qemu:///system",
                ["Hypervisor__StatsInterval"] = "00:00:02",
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        for (var i = 0; i < moreHosts.Length; i++)
            start.Environment[$"KvmPortal__DefaultHosts__{i + 1}"] = moreHosts[i];
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the dashboard.");
        var portal = new RunningPortal(process, baseUrl, password, server, database, ownsDatabase, moreHosts);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await portal.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
        return portal;
    }

    /// <summary>Waits until the app has logged a line matching <paramref name="pattern"/> (its logger writes asynchronously).</summary>
    public async Task WaitForOutputAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!pattern.IsMatch(Output))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The dashboard never logged /{pattern}/:\n{Output}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The dashboard exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The dashboard did not answer /healthz within {timeout}:\n{Output}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KvmPortal.sln"))) return dir.FullName;
        throw new InvalidOperationException("KvmPortal.sln not found above " + AppContext.BaseDirectory);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (!_ownsDatabase) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
