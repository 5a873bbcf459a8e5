using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using KvmPortal.Web.Usage;
using KvmPortal.Web.Usage.Recording;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>The whole path on the real host: qemu:///system's session samples the demo guest, the recorder writes it.</summary>
public sealed class UsageRecorderQemuTests(UsageDatabase database) : IClassFixture<UsageDatabase>
{
    [Fact]
    public async Task TheDemoGuestsSamplesAppearWithGrowingCpuTime()
    {
        var demo = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_VM") is { Length: > 0 } name ? name : "kvmportal-demo";
        var services = new ServiceCollection()
            .AddLogging()
            .AddHypervisor()
            .Configure<HypervisorOptions>(o => o.StatsInterval = TimeSpan.FromSeconds(1))
            .Configure<UsageOptions>(o => o.RecordInterval = TimeSpan.FromSeconds(1))
            .AddSingleton(database.Contexts)
            .AddSingleton<VmOwnershipIndex>()
            .AddSingleton(new UsageRecordingSession(database.ConnectionString))
            .AddSingleton<UsageTeams>()
            .AddSingleton<UsageRecorder>()
            .AddSingleton<KvmPortal.Hypervisor.Usage.IUsageSampleSink>(sp => sp.GetRequiredService<UsageRecorder>());
        await using var provider = services.BuildServiceProvider();
        var recorder = provider.GetRequiredService<UsageRecorder>();
        await ((IHostedService)recorder).StartAsync(default);
        var host = new HostDefinition(Guid.NewGuid(), "local", "qemu:///system");
        provider.GetRequiredService<IHostManager>().Attach(host);
        try
        {
            var rows = await WaitForAsync(async () =>
            {
                await using var db = new KvmPortalDbContext(database.Options);
                var demoUuid = await db.UsageVmsOf(host.Id, demo);
                return demoUuid is null ? [] : await db.Set<Data.Usage.VmSampleRecord>()
                    .Where(s => s.VmUuid == demoUuid && s.HostId == host.Id).OrderBy(s => s.SampledAt).ToListAsync();
            }, rows => rows.Count(r => r.IntervalSeconds > 0 && r.CpuTimeNs > 0) >= 2);

            Assert.Equal(0, rows[0].IntervalSeconds);
            Assert.All(rows, r => Assert.True(r.Vcpus > 0 && r.MemoryKib > 0));
            Assert.True(await database.ScalarAsync<long>("""SELECT count(*) FROM "HostSamples" WHERE "HostId" = $1 AND "CpuTotalNs" > 0""", host.Id) > 0);
        }
        finally
        {
            await ((IHostedService)recorder).StopAsync(default);
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The demo guest's usage rows did not appear within 60 s.");
            await Task.Delay(200);
        }
    }
}

internal static class UsageVmQueries
{
    public static Task<Guid?> UsageVmsOf(this KvmPortalDbContext db, Guid hostId, string name) =>
        db.Set<Data.Usage.UsageVmRecord>().Where(v => v.HostId == hostId && v.Name == name).Select(v => (Guid?)v.VmUuid).SingleOrDefaultAsync();
}
