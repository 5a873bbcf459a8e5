using System.Net;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text.Json;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvmPortal.Web.Tests.Integration;

public sealed class ObservabilityTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    [Fact]
    public async Task Liveness_answers_anonymously_with_json()
    {
        var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_lists_each_host_and_stays_ready_with_an_offline_host()
    {
        var online = app.Inventory.AddHost("ready-online-" + Guid.NewGuid().ToString("N")[..6]);
        var offline = app.Inventory.AddHost("ready-offline-" + Guid.NewGuid().ToString("N")[..6], HostStatus.Offline);

        var response = await app.CreateClient().GetAsync("/readyz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgresql").GetProperty("status").GetString());
        var hosts = checks.GetProperty("hosts").GetProperty("data");
        Assert.Equal("online", hosts.GetProperty(online.Name).GetString());
        Assert.Equal("offline", hosts.GetProperty(offline.Name).GetString());
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Readiness_fails_when_postgresql_is_unreachable()
    {
        await using var unreachable = app.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:KvmPortal", $"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Password=secret-word;Database=none");
            // Without a database the start-up work (migrations, seeding, attaching stored hosts) cannot run.
            builder.ConfigureTestServices(services =>
            {
                foreach (var startup in services.Where(d => d.ServiceType == typeof(IHostedService)
                             && d.ImplementationType?.Assembly == typeof(Program).Assembly).ToList())
                    services.Remove(startup);
            });
        });

        var response = await unreachable.CreateClient().GetAsync("/readyz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.DoesNotContain("secret-word", text, StringComparison.Ordinal);
        // Liveness does not depend on the database.
        Assert.Equal(HttpStatusCode.OK, (await unreachable.CreateClient().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_report_hosts_vms_and_consoles_from_the_inventory()
    {
        var before = app.Inventory.Current;
        var hostsOnline = before.Hosts.Values.Count(h => h.Status == HostStatus.Online) + 2;
        var hostsOffline = before.Hosts.Values.Count(h => h.Status == HostStatus.Offline) + 1;
        var running = before.Vms.Values.Count(vm => vm.State == VmState.Running) + 2;
        var shutOff = before.Vms.Values.Count(vm => vm.State == VmState.ShutOff) + 1;
        var first = app.Inventory.AddHost("metrics-a-" + Guid.NewGuid().ToString("N")[..6]);
        app.Inventory.AddHost("metrics-b-" + Guid.NewGuid().ToString("N")[..6]);
        app.Inventory.AddHost("metrics-c-" + Guid.NewGuid().ToString("N")[..6], HostStatus.Offline);
        app.Inventory.AddVm(first, "vm-1");
        app.Inventory.AddVm(first, "vm-2");
        app.Inventory.AddVm(first, "vm-3", VmState.ShutOff);

        var (status, text) = await ScrapeAsync(IPAddress.Loopback);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Contains($"kvmportal_hosts{{status=\"online\"}} {hostsOnline}\n", text);
        Assert.Contains($"kvmportal_hosts{{status=\"offline\"}} {hostsOffline}\n", text);
        Assert.Contains($"kvmportal_vms{{state=\"running\"}} {running}\n", text);
        Assert.Contains($"kvmportal_vms{{state=\"shutoff\"}} {shutOff}\n", text);
        Assert.Contains("kvmportal_console_sessions 0\n", text);
        Assert.Matches(@"\nprocess_working_set_bytes [1-9]", text);
        Assert.Matches(@"\ndotnet_total_memory_bytes [1-9]", text);
    }

    [Fact]
    public async Task Metrics_publish_the_hypervisor_layers_libvirt_call_histogram()
    {
        // The hypervisor layer's own meter is internal to it; one of the same name stands in for it here.
        using var meter = new Meter(HypervisorMetrics.MeterName);
        var calls = meter.CreateHistogram<double>(HypervisorMetrics.LibvirtCallDurationName, unit: "s");
        var host = "histogram-" + Guid.NewGuid().ToString("N")[..6];
        calls.Record(0.02, new("operation", "vm.start"), new("host", host), new("outcome", "ok"));

        var (status, text) = await ScrapeAsync(IPAddress.Loopback);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Contains($"kvmportal_libvirt_call_duration_seconds_count{{operation=\"vm.start\",host=\"{host}\",outcome=\"ok\"}} 1\n", text);
        Assert.Contains($"kvmportal_libvirt_call_duration_seconds_bucket{{operation=\"vm.start\",host=\"{host}\",outcome=\"ok\",le=\"0.032\"}} 1\n", text);
        Assert.Contains($"kvmportal_libvirt_call_duration_seconds_bucket{{operation=\"vm.start\",host=\"{host}\",outcome=\"ok\",le=\"0.016\"}} 0\n", text);
    }

    [Fact]
    public async Task Metrics_are_refused_to_remote_clients_without_the_token()
    {
        var (status, text) = await ScrapeAsync(IPAddress.Parse("203.0.113.7"));
        Assert.Equal(StatusCodes.Status403Forbidden, status);
        Assert.DoesNotContain("kvmportal_hosts", text);
    }

    [Fact]
    public async Task Metrics_accept_the_configured_token_from_anywhere_and_refuse_a_wrong_one()
    {
        await using var withToken = app.WithWebHostBuilder(builder => builder.UseSetting("KvmPortal:Metrics:Token", "scrape-me"));
        var remote = IPAddress.Parse("203.0.113.7");

        var (status, text) = await ScrapeAsync(withToken.Server, remote, "Bearer scrape-me");
        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Contains("kvmportal_hosts{", text);
        Assert.Equal(StatusCodes.Status403Forbidden, (await ScrapeAsync(withToken.Server, remote, "Bearer wrong")).Status);
        // With a token configured, loopback alone is not enough.
        Assert.Equal(StatusCodes.Status403Forbidden, (await ScrapeAsync(withToken.Server, IPAddress.Loopback, null)).Status);
    }

    private Task<(int Status, string Text)> ScrapeAsync(IPAddress from) => ScrapeAsync(app.Server, from, null);

    private static async Task<(int Status, string Text)> ScrapeAsync(TestServer server, IPAddress from, string? authorization)
    {
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = from;
            if (authorization is not null) c.Request.Headers.Authorization = authorization;
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
