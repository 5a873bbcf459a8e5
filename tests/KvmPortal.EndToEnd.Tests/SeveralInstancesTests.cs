using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using KvmPortal.Bench.Circuits;
using KvmPortal.Web.Usage.Recording;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Two app instances on one database behind Debian's nginx running the shipped site (deploy/nginx-kvmportal.conf),
/// as issue 10 deploys them: sign-ins and console tickets are valid on either instance, each host's usage is written
/// by one instance only, and a browser works through the proxy (Blazor's circuit and the console WebSockets).
/// </summary>
public sealed class SeveralInstancesTests(TwoInstancesBehindNginx site) : IClassFixture<TwoInstancesBehindNginx>
{
    private const string DemoVm = "kvmportal-demo";

    [Fact]
    public async Task ASignInOnOneInstanceIsValidOnTheOther()
    {
        var cookie = await LoginForm.SignInAsync(site.A.BaseUrl, site.A.AdminUser, site.A.AdminPassword);
        using var b = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(site.B.BaseUrl) };

        using var anonymous = await b.GetAsync("/vms");
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location?.ToString());

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/vms") { Headers = { { "Cookie", cookie } } };
        using var page = await b.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"logout\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AConsoleTicketIssuedByOneInstanceIsRedeemedOnceByTheOther()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        await DemoVmTests.LogInAsync(page, site.A);
        var detail = await page.Locator($"[data-vm='{DemoVm}'] a").First.GetAttributeAsync("href");
        var onA = await ConsoleProxyClient.CaptureTicketUrlAsync(page, site.A, detail + "/console", "/consoles/vnc");
        var cookie = await ConsoleProxyClient.CookieAsync(page);
        var onB = new UriBuilder(onA) { Port = new Uri(site.B.BaseUrl).Port }.Uri;
        Assert.NotEqual(onA.Port, onB.Port);

        using (var socket = await ConsoleProxyClient.ConnectAsync(onB, cookie, site.B.BaseUrl))
        {
            await using var rfb = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false);
            var version = new byte[12];
            await rfb.ReadExactlyAsync(version).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("RFB 003.", System.Text.Encoding.ASCII.GetString(version));
        }

        Assert.Equal(HttpStatusCode.Forbidden, await ConsoleProxyClient.HandshakeStatusAsync(onA, cookie, site.A.BaseUrl));
        await site.A.WaitForOutputAsync(new Regex("Console ticket refused for user .*: ticket refused: AlreadyUsed"));
    }

    [Fact]
    public async Task EachHostsUsageIsRecordedByOneInstanceOnly()
    {
        await using var db = new NpgsqlConnection(site.A.ConnectionString);
        await db.OpenAsync();
        var hosts = new List<Guid>();
        await using (var read = new NpgsqlCommand("""SELECT "Id" FROM "Hosts" """, db))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) hosts.Add(reader.GetGuid(0));
        Assert.Equal(2, hosts.Count);

        // Both instances sample both hosts every interval, and both recorders try the hosts' locks (their sessions are
        // open); wait until each host has several intervals recorded while both were.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (await FewestIntervalsWithBothRecordersAsync(db) < 8)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hosts' usage was not recorded for 8 intervals with both recorders running within 2 minutes");
            await Task.Delay(500);
        }

        // A second writer would interleave its samples: a gap shorter than the recorder's minimum (0.9 interval).
        await using (var gaps = new NpgsqlCommand($"""
            {Intervals}
            SELECT "HostId", min(gap) FROM (
                SELECT "HostId", extract(epoch FROM "SampledAt" - lag("SampledAt") OVER (PARTITION BY "HostId" ORDER BY "SampledAt"))::float8 AS gap
                FROM intervals) g
            WHERE gap IS NOT NULL GROUP BY "HostId"
            """, db))
        await using (var reader = await gaps.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                Assert.True(reader.GetDouble(1) >= 0.9 * TwoInstancesBehindNginx.RecordIntervalSeconds - 0.01,
                    $"host {reader.GetGuid(0)} has intervals {reader.GetDouble(1):F2} s apart: two instances wrote it");

        // Who holds each host's lock: one recorder session, of one of the two instances.
        var holders = new Dictionary<long, List<string>>();
        await using (var locks = new NpgsqlCommand("""
            SELECT l.objid::bigint, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND l.classid = $1::bigint::oid AND l.objsubid = 2
            """, db) { Parameters = { new() { Value = (long)UsageLockKeys.HostRecording } } })
        await using (var reader = await locks.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                (holders.TryGetValue(reader.GetInt64(0), out var names) ? names : holders[reader.GetInt64(0)] = []).Add(reader.GetString(1));
        foreach (var host in hosts)
        {
            var key = (long)(uint)UsageLockKeys.Of(host);
            Assert.True(holders.TryGetValue(key, out var names), $"nobody holds the usage lock of host {host}");
            var holder = Assert.Single(names);
            Assert.Contains(holder, new[] { "KvmPortal usage recorder a", "KvmPortal usage recorder b" });
        }
    }

    [Fact]
    public async Task ABrowserWorksThroughNginxCircuitAndConsoleIncluded()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var browser = await BrowserSession.StartAsync(ignoreHttpsErrors: true);
        var page = browser.Page;
        try
        {
            await page.GotoAsync(site.Nginx.BaseUrl + "/");
            await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(site.Nginx.BaseUrl) + "/account/login", RegexOptions.IgnoreCase));
            await DemoVmTests.FillLoginAsync(page, site.A.AdminUser, site.A.AdminPassword);
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
            // The app believed nginx's X-Forwarded-Proto: the sign-in cookie is Secure.
            Assert.All(await page.Context.CookiesAsync(), c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));

            // Interactive means Blazor's circuit WebSocket is up through nginx; the rows come over it.
            await page.WaitUntilInteractiveAsync();
            var row = page.Locator($"[data-vm='{DemoVm}']");
            await Expect(row.Locator("[data-testid=vm-state]")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 30_000 });

            await row.Locator("[data-testid=vm-console]").ClickAsync();
            await ConsoleTests.WaitForTheScreenAsync(page);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-nginx-failure.png") });
            Console.WriteLine(site.Nginx.ErrorLog);
            throw;
        }
    }

    [Fact]
    public async Task NginxRedirectsPlainHttpAndDoesNotServeMetrics()
    {
        using var http = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
        });
        using var plain = await http.GetAsync(site.Nginx.RedirectUrl + "/vms?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, plain.StatusCode);
        Assert.Equal("https://127.0.0.1/vms?x=1", plain.Headers.Location?.ToString());

        using var metrics = await http.GetAsync(site.Nginx.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        using var direct = await http.GetAsync(site.A.BaseUrl + "/metrics");
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
    }

    /// <summary>Every (host, sample time) written: a host's row or its VMs' rows (the test driver has no host counters).</summary>
    private const string Intervals = """
        WITH intervals AS (SELECT "HostId", "SampledAt" FROM "HostSamples" UNION SELECT DISTINCT "HostId", "SampledAt" FROM "VmSamples")
        """;

    /// <summary>The fewest intervals of any host recorded since both instances' recorder sessions were open (0 until they are).</summary>
    private static async Task<long> FewestIntervalsWithBothRecordersAsync(NpgsqlConnection db)
    {
        await using var count = new NpgsqlCommand($"""
            {Intervals}, recorders AS (
                SELECT count(DISTINCT application_name) AS n, max(backend_start) AS since FROM pg_stat_activity
                WHERE datname = current_database() AND application_name IN ('KvmPortal usage recorder a', 'KvmPortal usage recorder b'))
            SELECT CASE WHEN (SELECT n FROM recorders) < 2 THEN 0 ELSE coalesce(min(n), 0) END FROM (
                SELECT count(i."HostId") AS n FROM "Hosts" h
                LEFT JOIN intervals i ON i."HostId" = h."Id" AND i."SampledAt" > (SELECT since FROM recorders)
                GROUP BY h."Id") c
            """, db);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

/// <summary>Instance "a" (which made the database), instance "b" on the same database, and nginx in front of both.</summary>
public sealed class TwoInstancesBehindNginx : IAsyncLifetime
{
    public const int RecordIntervalSeconds = 2;

    private RunningPortal? _a;
    private RunningPortal? _b;
    private NginxProxy? _nginx;

    public RunningPortal A => _a ?? throw new InvalidOperationException("not started");
    public RunningPortal B => _b ?? throw new InvalidOperationException("not started");
    public NginxProxy Nginx => _nginx ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        try
        {
            // Two hosts: the real one and libvirt's test driver (each instance opens its own; the host rows are shared).
            _a = await RunningPortal.StartAsync(Settings("a"), "test:///default");
            _b = await _a.StartAnotherInstanceAsync(Settings("b"));
            _nginx = await NginxProxy.StartAsync(Path.Combine(RunningPortal.RepositoryRoot(), "deploy", "nginx-kvmportal.conf"), _a.BaseUrl, _b.BaseUrl);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private static Dictionary<string, string> Settings(string instance) => new()
    {
        ["KvmPortal__InstanceName"] = instance,
        ["KvmPortal__Usage__RecordInterval"] = $"00:00:0{RecordIntervalSeconds}",
    };

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
    }
}
