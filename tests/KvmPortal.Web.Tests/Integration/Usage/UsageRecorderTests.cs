using KvmPortal.Hypervisor.Usage;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data.Usage;
using KvmPortal.Web.Usage;
using KvmPortal.Web.Usage.Recording;
using KvmPortal.Web.Usage.Rollup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>The recorder against a real PostgreSQL: batched writes, advisory locks between instances, outages.</summary>
public sealed class UsageRecorderTests(UsageDatabase database) : IClassFixture<UsageDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnIntervalLandsAsVmRowsAHostRowAndTheVmDirectoryWithTheOwningTeam()
    {
        var host = Guid.NewGuid();
        var team = Guid.NewGuid();
        var web = Guid.NewGuid();
        var db = Guid.NewGuid();
        await using (var setup = new Data.KvmPortalDbContext(database.Options))
        {
            setup.Add(new Data.HostRecord { Id = host, Name = "h-" + host.ToString("N")[..8], Uri = "test:///default" });
            setup.Add(new Data.TeamRecord { Id = team, Name = "t-" + team.ToString("N")[..8] });
            await setup.SaveChangesAsync();
        }
        await new VmOwnershipIndex(database.Contexts).SetAsync(new(host, web), team);
        await using var recorder = Recorder();

        Assert.Equal(UsageRecordOutcome.Recorded, await recorder.Value.RecordAsync(Sample(host, T0, 1_000, web, db), default));
        Assert.Equal(UsageRecordOutcome.Recorded, await recorder.Value.RecordAsync(Sample(host, T0.AddSeconds(10), 4_000, web, db) with
        {
            Vms = [Vm(web, 4_000) with { Name = "web-renamed" }, Vm(db, 4_000) with { MemoryUsedKib = null }],
        }, default));

        await using var context = new Data.KvmPortalDbContext(database.Options);
        var rows = await context.Set<VmSampleRecord>().Where(s => s.HostId == host).OrderBy(s => s.SampledAt).ToListAsync();
        Assert.Equal(4, rows.Count);
        var second = rows.Single(r => r.VmUuid == web && r.SampledAt == T0.AddSeconds(10));
        Assert.Equal(10, second.IntervalSeconds);
        Assert.Equal(3_000, second.CpuTimeNs);
        Assert.Equal(team, second.TeamId);
        Assert.Equal(512, second.MemoryUsedKib);
        Assert.Null(rows.Single(r => r.VmUuid == db && r.SampledAt == T0.AddSeconds(10)).MemoryUsedKib);
        Assert.Null(rows.Single(r => r.VmUuid == db && r.SampledAt == T0).TeamId);

        var hostRows = await context.Set<HostSampleRecord>().Where(h => h.HostId == host).OrderBy(h => h.SampledAt).ToListAsync();
        Assert.Equal([0L, 900L], hostRows.Select(h => h.CpuTotalNs));
        Assert.Equal(600, hostRows[1].MemoryUsedKib);

        var directory = await context.Set<UsageVmRecord>().SingleAsync(v => v.VmUuid == web);
        Assert.Equal("web-renamed", directory.Name);
        Assert.Equal(T0, directory.FirstSeenAt);
        Assert.Equal(T0.AddSeconds(10), directory.LastSeenAt);
        Assert.Equal(team, directory.TeamId);
        Assert.Equal(host, directory.HostId);
    }

    [Fact]
    public async Task TwoInstancesSamplingTheSameHostWriteEachIntervalOnceAndTheSecondTakesOverWhenTheFirstGoes()
    {
        var host = Guid.NewGuid();
        var vm = Guid.NewGuid();
        var first = Recorder();
        await using var second = Recorder();

        var outcomes = new List<(UsageRecordOutcome First, UsageRecordOutcome Second)>();
        for (var i = 0; i < 3; i++)
        {
            // Each instance samples the host itself, so their samples differ by a moment.
            var a = await first.Value.RecordAsync(Sample(host, T0.AddSeconds(10 * i), 1_000UL * (ulong)i, vm), default);
            var b = await second.Value.RecordAsync(Sample(host, T0.AddSeconds(10 * i + 1), 1_000UL * (ulong)i, vm), default);
            outcomes.Add((a, b));
        }
        Assert.All(outcomes, o => Assert.Equal((UsageRecordOutcome.Recorded, UsageRecordOutcome.NotOwner), o));
        Assert.Equal(3L, await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host));
        Assert.Equal(3L, await database.ScalarAsync<long>("""SELECT count(*) FROM "HostSamples" WHERE "HostId" = $1""", host));

        await first.DisposeAsync(); // its session ends, and its locks with it
        var takeover = await second.Value.RecordAsync(Sample(host, T0.AddSeconds(41), 9_000, vm), default);

        Assert.Equal(UsageRecordOutcome.Recorded, takeover);
        Assert.Equal(4L, await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host));
        // The new owner knows nothing of the old one's last sample: its first interval counts nothing.
        Assert.Equal(0.0, await database.ScalarAsync<double>(
            """SELECT "IntervalSeconds" FROM "VmSamples" WHERE "HostId" = $1 AND "SampledAt" = $2""", host, T0.AddSeconds(41)));
    }

    [Fact]
    public async Task ALostDatabaseSessionIsReconnectedAndTheLocksTakenAgain()
    {
        var host = Guid.NewGuid();
        var vm = Guid.NewGuid();
        await using var recorder = Recorder();
        Assert.Equal(UsageRecordOutcome.Recorded, await recorder.Value.RecordAsync(Sample(host, T0, 0, vm), default));

        await database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'KvmPortal usage recorder' AND datname = current_database()");
        var duringLoss = await recorder.Value.RecordAsync(Sample(host, T0.AddSeconds(10), 1_000, vm), default);
        var after = await recorder.Value.RecordAsync(Sample(host, T0.AddSeconds(20), 2_000, vm), default);

        Assert.Equal(UsageRecordOutcome.Failed, duringLoss);
        Assert.Equal(UsageRecordOutcome.Recorded, after);
        Assert.Equal(2L, await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host));
        // Nothing else recorded the host meanwhile, so the interval that failed is counted in the one that landed.
        Assert.Equal(20.0, await database.ScalarAsync<double>(
            """SELECT "IntervalSeconds" FROM "VmSamples" WHERE "HostId" = $1 AND "SampledAt" = $2""", host, T0.AddSeconds(20)));
        Assert.Equal(2_000L, await database.ScalarAsync<long>(
            """SELECT sum("CpuTimeNs")::int8 FROM "VmSamples" WHERE "HostId" = $1""", host));
    }

    [Fact]
    public async Task AfterALostSessionTheRecorderStartsAfreshWhenAnotherInstanceRecordedTheHostMeanwhile()
    {
        var host = Guid.NewGuid();
        var vm = Guid.NewGuid();
        await using var first = Recorder();
        Assert.Equal(UsageRecordOutcome.Recorded, await first.Value.RecordAsync(Sample(host, T0, 0, vm), default));

        await database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'KvmPortal usage recorder' AND datname = current_database()");
        await using (var second = Recorder())
        {
            Assert.Equal(UsageRecordOutcome.Recorded, await second.Value.RecordAsync(Sample(host, T0.AddSeconds(5), 500, vm), default));
            Assert.Equal(UsageRecordOutcome.Recorded, await second.Value.RecordAsync(Sample(host, T0.AddSeconds(15), 1_500, vm), default));
        }
        var onDeadSession = await first.Value.RecordAsync(Sample(host, T0.AddSeconds(20), 2_000, vm), default);
        var back = await first.Value.RecordAsync(Sample(host, T0.AddSeconds(25), 2_500, vm), default);

        Assert.Equal(UsageRecordOutcome.Failed, onDeadSession);
        Assert.Equal(UsageRecordOutcome.Recorded, back);
        // The second instance counted up to 15 s; counting from the first's baseline (0 s) again would count it twice.
        Assert.Equal(0.0, await database.ScalarAsync<double>(
            """SELECT "IntervalSeconds" FROM "VmSamples" WHERE "HostId" = $1 AND "SampledAt" = $2""", host, T0.AddSeconds(25)));
        Assert.Equal(1_000L, await database.ScalarAsync<long>(
            """SELECT sum("CpuTimeNs")::int8 FROM "VmSamples" WHERE "HostId" = $1""", host));
    }

    [Fact]
    public async Task TheBackgroundLoopRecordsAtMostOneSamplePerRecordInterval()
    {
        var host = Guid.NewGuid();
        var vm = Guid.NewGuid();
        await using var recorder = Recorder();
        await recorder.Value.StartAsync(default);
        try
        {
            foreach (var seconds in new[] { 0, 3, 10, 12, 20 })
                recorder.Value.Accept(Sample(host, T0.AddSeconds(seconds), 1_000UL * (ulong)seconds, vm));

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host) < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "the recorder did not write three intervals within 30 s");
                await Task.Delay(100);
            }
            await using var context = new Data.KvmPortalDbContext(database.Options);
            var recorded = await context.Set<VmSampleRecord>().Where(s => s.HostId == host).OrderBy(s => s.SampledAt).ToListAsync();
            Assert.Equal([T0, T0.AddSeconds(10), T0.AddSeconds(20)], recorded.Select(r => r.SampledAt));
            Assert.Equal([0.0, 10.0, 10.0], recorded.Select(r => r.IntervalSeconds));
            Assert.Equal([0L, 10_000L, 10_000L], recorded.Select(r => r.CpuTimeNs));
        }
        finally
        {
            await recorder.Value.StopAsync(default);
        }
    }

    [Fact]
    public async Task AnUnreachableDatabaseDropsTheIntervalWithoutThrowing()
    {
        const string nowhere = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2";
        await using var session = new UsageRecordingSession(nowhere);
        var recorder = new UsageRecorder(session, new UsageTeams(new VmOwnershipIndex(database.Contexts), TimeProvider.System, NullLogger<UsageTeams>.Instance),
            Options.Create(new UsageOptions()), NullLogger<UsageRecorder>.Instance);
        var rollup = new UsageRollupJob(new UsageConnectionString(nowhere), Options.Create(new UsageOptions()), TimeProvider.System, NullLogger<UsageRollupJob>.Instance);

        var outcome = await recorder.RecordAsync(Sample(Guid.NewGuid(), T0, 0, Guid.NewGuid()), default);
        var rolledUp = await rollup.RunOnceAsync(default);

        Assert.Equal(UsageRecordOutcome.Failed, outcome);
        Assert.False(rolledUp);
    }

    private OwnedRecorder Recorder()
    {
        var session = new UsageRecordingSession(database.ConnectionString);
        var teams = new UsageTeams(new VmOwnershipIndex(database.Contexts), TimeProvider.System, NullLogger<UsageTeams>.Instance);
        return new OwnedRecorder(session, new UsageRecorder(session, teams, Options.Create(new UsageOptions()), NullLogger<UsageRecorder>.Instance));
    }

    internal static HostUsageSample Sample(Guid host, DateTimeOffset at, ulong cpu, params Guid[] vms) =>
        new(host, at, new HostResourceCounters(2, 100 + cpu / 10, 1_000 + cpu / 5, 1_000, 400), [.. vms.Select(vm => Vm(vm, cpu))]);

    private static VmUsageCounters Vm(Guid uuid, ulong cpu) =>
        new(uuid, "web", cpu, 2, 2048, 512, cpu, cpu, 1, 1, 10_000, 5_000, cpu, cpu);

    private sealed record OwnedRecorder(UsageRecordingSession Session, UsageRecorder Value) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Session.DisposeAsync();
    }
}
